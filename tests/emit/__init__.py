"""Tests of the emitters and the command runner."""
