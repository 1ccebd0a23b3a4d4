"""Plan a run from what the archive says: what to ask arXiv for, and how to file what comes."""

from digest.plan.fetch_plan import FetchPlan, FetchSpan, RunPlan, plan_run, read_from

__all__ = ["FetchPlan", "FetchSpan", "RunPlan", "plan_run", "read_from"]
