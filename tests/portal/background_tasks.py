"""A task for the background kit's own tests: it records that it ran, in the database."""

from django_tasks import task

from portal.models import Partner


@task()
def rename_partner(pk: int, name: str) -> str:
    Partner.objects.filter(pk=pk).update(name=name)
    return name
