from celery import Celery

app = Celery("conf_forms")
app.conf.task_routes = [
    {"conf_forms.renamed_task": "slow"},
    {"conf_forms.heavy": "slow"},
]
app.conf.update(task_routes={"conf_forms.hevy": "slow"})


@app.task
def heavy():
    pass
