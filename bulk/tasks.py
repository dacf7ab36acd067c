"""The bulk job's task: a trigger carrying the job's id; the work lives on the job's rows."""

from django_tasks import task

from bulk import services


@task()
def run_job(job_id: int) -> None:
    services.run_job(job_id)
