"""Schedules (weekly digest, nudges, monthly summary). Filled by the Schedules issue."""
