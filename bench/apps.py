from django.apps import AppConfig


class BenchConfig(AppConfig):
    """``manage.py bench``: issue 11's benchmark at a million customers, on demand and never in
    the test suite; its anchor views are served only when settings.BENCH_ANCHORS is on."""

    name = "bench"
    verbose_name = "Benchmark"
