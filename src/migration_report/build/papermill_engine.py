"""papermill's engine for `make chapter` (`--engine book`): its nbclient engine, with the kernel shut down at once
when the last cell has run.

papermill asks the kernel to shut down and waits for it to exit; about one time in six ipykernel 7 does not act on
the request, and jupyter_client waits 2.5 s before it sends SIGTERM, a chapter's re-run taking three seconds more.
Once the last cell has run, every output is in the notebook, so nothing is lost by not waiting (the book's build
shuts its kernels down the same way: migration_report.build.execute). Registered with papermill as an entry point
(pyproject.toml), which papermill imports when it starts: this module imports nothing else.
"""

from papermill.engines import NBClientEngine


class ImmediateShutdownEngine(NBClientEngine):
    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        return super().execute_managed_notebook(nb_man, kernel_name, **{**kwargs, "shutdown_kernel": "immediate"})
