"""The national action plans: measures (tiltak), hearings, and the reports."""
