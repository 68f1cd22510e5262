"""The one task the worker runs: execute a Job by id."""

from django.tasks import task


@task
def run_job(job_id: int) -> None:
    from .services import job_execute

    job_execute(job_id=job_id)
