"""Tests of ATIF trajectories (vtcode_exec_events.atif and the atif command)."""
