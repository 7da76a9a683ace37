"""Engines that run the events table beyond this process (extra ``ray``: Ray Data)."""
