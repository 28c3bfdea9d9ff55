"""The network groups and their meetings: agenda, notice, minutes, the year's plan."""
