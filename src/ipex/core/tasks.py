"""Background tasks: thin, they take ids and call a service."""

from django_tasks import task

from ipex.core.jobs import job_run


@task()
def run_job(job_uuid: str) -> None:
    job_run(job_uuid=job_uuid)
