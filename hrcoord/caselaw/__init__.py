"""International case law: summaries, their lifecycle, and the portal export."""
