"""Schedules that run themselves: the weekly digest, nudges, the monthly summary.

APScheduler's AsyncIOScheduler triggers plain job functions (`jobs.py`) that take the app;
each job decides from the one clock whether its period is due and claims the period in the
database, so a job runs once per period whatever the number of ticks, restarts or replicas."""
