"""Background tasks: thin, they take ids and call a service."""

from django_tasks import task


@task()
def run_job(job_uuid: str) -> None:
    from ipex.core.services import job_run

    job_run(job_uuid=job_uuid)
