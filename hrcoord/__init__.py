"""hrcoord — the coordinator's tool for international human rights work (IM 2014-008)."""

__version__ = "0.1.0"
