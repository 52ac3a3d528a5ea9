"""The load and fault runs of issue 11 (see README "Load and faults" and bench/load.py)."""
