"""Generate a synthetic legacy Django + Celery project for benchmarking celery-fix.

    python bench/generate.py OUTDIR --apps N [--seed S] [--unrelated-scale F]

Proportions follow a real project (saleor: 4.3k files, 849k lines, ~4.5% of the
files mention Celery or transactions): about 2,000 lines per app, and only about
a quarter of the apps define tasks. Everything else is ordinary Django code that
never mentions Celery, so a tool that prefilters well should barely notice it.

Each app is generated from its own RNG stream (seed + app index), so the project
for `--apps 150` contains the project for `--apps 50` app for app; only the
`proj/` package, which lists the apps, differs.
"""

from __future__ import annotations

import argparse
import ast
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

LINES_PER_APP = (1800, 2200)
CELERY_APP_RATE = 0.3  # with ~2.5 relevant files per Celery app, ~4-5% of all files
HELPER_LINES = (100, 300)

# Mirrors the grep in run.py; the filler vocabulary below must never match it.
RELEVANT_RE = re.compile(r"(?i:celery)|delay\(|apply_async|shared_task|transaction")

NOUNS = [
    "order", "invoice", "customer", "product", "shipment", "voucher", "warehouse",
    "supplier", "basket", "refund", "coupon", "review", "ticket", "report", "account",
    "profile", "subscription", "catalog", "category", "channel", "region", "tariff",
    "parcel", "booking", "message", "attachment", "webhook", "plugin", "menu", "page",
]
VERBS = [
    "compute", "build", "normalize", "collect", "resolve", "format", "validate",
    "merge", "render", "export", "summarize", "filter", "rank", "group", "index",
]
FIELDS = ["name", "slug", "code", "status", "kind", "label", "email", "currency", "country"]
MODEL_SUFFIXES = ["", "Line", "Note", "Event", "Item", "Setting", "Log", "Rule", "Group"]


def camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def snake(camel_name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel_name).lower()


def render(template: str, **values) -> str:
    # string.Template, because generated code is full of {} from dicts and f-strings.
    return Template(template).substitute(values).lstrip("\n")


def line_count(text: str) -> int:
    return text.count("\n")


# --------------------------------------------------------------------------
# Filler: ordinary Python that mentions no Celery at all.
# --------------------------------------------------------------------------

FILLER_FUNCTIONS = [
    '''
def ${verb}_${noun}_${k}(items, *, limit=${n}, prefix="${noun}"):
    """${Verb} ${noun} records into a keyed mapping."""
    result = {}
    for index, item in enumerate(items):
        if index >= limit:
            break
        key = f"{prefix}-{index}-{item!r}"
        result[key] = {"index": index, "value": item, "flag": index % ${m} == 0}
    return result

''',
    '''
def ${verb}_${noun}_rows_${k}(rows):
    """Return the ${noun} rows that have a ${field}."""
    selected = [row for row in rows if row.get("${field}") not in (None, "")]
    totals = {row["${field}"]: sum(v for v in row.get("values", ()) if v) for row in selected}
    labels = sorted({f"{key}:{value}" for key, value in totals.items()})
    return {"count": len(selected), "labels": labels, "max": max(totals.values(), default=0)}

''',
    '''
def parse_${noun}_${field}_${k}(raw, default=None):
    if raw is None:
        return default
    text = str(raw).strip()
    try:
        value = int(text, ${base})
    except ValueError:
        logger.debug("could not parse %s", text)
        return default
    if value < ${lo} or value > ${hi}:
        return default
    return value

''',
    '''
def iter_${noun}_chunks_${k}(sequence, size=${n}):
    chunk = []
    for element in sequence:
        chunk.append(element)
        if len(chunk) == size:
            yield tuple(chunk)
            chunk = []
    if chunk:
        yield tuple(chunk)

''',
    '''
def ${verb}_${noun}_totals_${k}(entries):
    buckets = defaultdict(Decimal)
    for entry in entries:
        bucket = entry.get("${field}") or "unknown"
        buckets[bucket] += Decimal(str(entry.get("amount", 0)))
    ordered = sorted(buckets.items(), key=lambda pair: (-pair[1], pair[0]))
    return [
        {"${field}": bucket, "amount": amount.quantize(Decimal("0.01")), "share": f"{amount:.2f}"}
        for bucket, amount in ordered[:${n}]
    ]

''',
]

FILLER_CLASSES = [
    '''
class ${Noun}${Verb}Helper${k}:
    """Helper that ${verb}s ${noun} payloads."""

    default_options = {"strict": ${flag}, "depth": ${n}, "label": "${noun}"}

    def __init__(self, source, **options):
        self.source = source
        self.options = {**self.default_options, **options}
        self._memo = {}

    def __repr__(self):
        return f"<{type(self).__name__} source={self.source!r}>"

    @property
    def depth(self):
        return self.options["depth"]

    def run(self, values):
        out = []
        for value in values:
            if value in self._memo:
                out.append(self._memo[value])
                continue
            computed = self._compute(value)
            self._memo[value] = computed
            out.append(computed)
        return out

    def _compute(self, value):
        if isinstance(value, (list, tuple)):
            return [self._compute(v) for v in value][: self.depth]
        return f"{self.options['label']}:{value}"

''',
    '''
@dataclasses.dataclass(frozen=True)
class ${Noun}Snapshot${k}:
    id: int
    ${field}: str
    score: float = 0.0
    tags: tuple = ()

    def as_dict(self):
        return {
            "id": self.id,
            "${field}": self.${field},
            "score": round(self.score, ${m}),
            "tags": list(self.tags),
        }

    @classmethod
    def from_row(cls, row):
        return cls(
            id=int(row["id"]),
            ${field}=str(row.get("${field}", "")),
            score=float(row.get("score") or 0),
            tags=tuple(row.get("tags") or ()),
        )

''',
    '''
${NOUN}_${FIELD}_LABELS_${k} = {
    "draft": "Draft",
    "active": "Active",
    "paused": "Paused",
    "archived": "Archived",
    "${noun}": "${Noun}",
}
${NOUN}_${FIELD}_CHOICES_${k} = [(key, label) for key, label in ${NOUN}_${FIELD}_LABELS_${k}.items()]

''',
]

HELPER_HEADER = '''
"""Helpers for ${app} (${noun} ${topic})."""
import dataclasses
import logging
from collections import defaultdict
from decimal import Decimal

logger = logging.getLogger(__name__)


'''


class Filler:
    """Draws filler blocks; a counter keeps names unique within a file."""

    def __init__(self, rng: random.Random, noun: str):
        self.rng = rng
        self.noun = noun
        self.k = 0

    def block(self) -> str:
        rng = self.rng
        self.k += 1
        templates = FILLER_CLASSES if rng.random() < 0.35 else FILLER_FUNCTIONS
        noun = rng.choice([self.noun, self.noun, rng.choice(NOUNS)])
        verb, fld = rng.choice(VERBS), rng.choice(FIELDS)
        lo = rng.randint(0, 50)
        return render(
            rng.choice(templates),
            k=self.k, noun=noun, Noun=camel(noun), NOUN=noun.upper(),
            verb=verb, Verb=verb.capitalize(), field=fld, FIELD=fld.upper(),
            n=rng.randint(3, 50), m=rng.randint(2, 7), base=rng.choice([10, 16]),
            lo=lo, hi=lo + rng.randint(100, 10_000), flag=rng.choice(["True", "False"]),
        ) + "\n"  # two blank lines between top-level definitions

    def fill(self, parts: list[str], target_lines: int) -> None:
        while sum(map(line_count, parts)) < target_lines:
            parts.append(self.block())


# --------------------------------------------------------------------------
# Django code per app.
# --------------------------------------------------------------------------

@dataclass
class Task:
    name: str
    model: str
    takes_id: bool


@dataclass
class App:
    index: int
    rng: random.Random
    noun: str
    models: list[str]
    has_celery: bool
    tasks: list[Task] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"app_{self.index:03d}"


def new_app(index: int, seed: int) -> App:
    rng = random.Random(f"{seed}:{index}")
    noun = rng.choice(NOUNS)
    suffixes = rng.sample(MODEL_SUFFIXES, rng.randint(3, 5))
    models = [camel(noun) + suffix for suffix in suffixes]
    has_celery = index == 0 or rng.random() < CELERY_APP_RATE
    return App(index, rng, noun, models, has_celery)


def models_py(app: App) -> str:
    parts = ["from decimal import Decimal\n\nfrom django.db import models\n\n\n"]
    for model in app.models:
        parts.append(render('''
class ${model}(models.Model):
    name = models.CharField(max_length=${n})
    slug = models.SlugField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    is_active = models.BooleanField(default=True)
    owner = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="${rel}")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "${verbose}"

    def __str__(self):
        return f"{self.name} ({self.pk})"

    def total_with_tax(self, rate=Decimal("0.2")):
        return (self.amount * (1 + rate)).quantize(Decimal("0.01"))

    @property
    def display_label(self):
        return f"{self.slug}: {self.name}".strip()


''', model=model, n=app.rng.choice([64, 128, 255]),
            rel=f"{app.label}_{snake(model)}_set", verbose=snake(model).replace("_", " ")))
    return "".join(parts)


def migration_py(app: App) -> str:
    ops = "".join(render('''
        migrations.CreateModel(
            name="${model}",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=255)),
                ("slug", models.SlugField(unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("amount", models.DecimalField(decimal_places=2, default=0, max_digits=12)),
                ("is_active", models.BooleanField(default=True)),
            ],
            options={"ordering": ["-created_at"]},
        ),
''', model=model) for model in app.models)
    return render('''
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]
    operations = [
${ops}    ]
''', ops=ops)


def views_py(app: App) -> str:
    imports = [
        "from django.http import JsonResponse",
        "from django.shortcuts import get_object_or_404, render",
        "from django.views.generic import DetailView, ListView",
        "",
        f"from .models import {', '.join(app.models)}",
    ]
    dispatches = app.has_celery and app.rng.random() < 0.5
    if dispatches:
        task = next(t for t in app.tasks if t.takes_id)
        imports.append(f"from .tasks import {task.name}")
    parts = ["\n".join(imports) + "\n\n\n"]
    for model in app.models:
        parts.append(render('''
class ${model}ListView(ListView):
    model = ${model}
    paginate_by = ${n}
    template_name = "${app}/${snake}_list.html"

    def get_queryset(self):
        queryset = super().get_queryset().filter(is_active=True)
        term = self.request.GET.get("q", "").strip()
        if term:
            queryset = queryset.filter(name__icontains=term)
        return queryset.order_by("-created_at")


class ${model}DetailView(DetailView):
    model = ${model}
    template_name = "${app}/${snake}_detail.html"


def ${snake}_summary(request, pk):
    obj = get_object_or_404(${model}, pk=pk)
    data = {"id": obj.pk, "name": obj.name, "label": f"{obj.slug}-{obj.pk}"}
    return JsonResponse(data)


def ${snake}_table(request):
    rows = [{"id": o.pk, "name": o.name} for o in ${model}.objects.all()[:${n}]]
    return render(request, "${app}/${snake}_table.html", {"rows": rows, "total": len(rows)})


''', model=model, snake=snake(model), app=app.label, n=app.rng.choice([20, 25, 50])))
    if dispatches:
        parts.append(render('''
def refresh_${snake}_view(request, pk):
    obj = get_object_or_404(${model}, pk=pk)
    ${task}.delay(obj.pk)
    return JsonResponse({"queued": True})


def ${snake}_report_view(request, pk):
    result = ${task}.delay(pk)
    return JsonResponse({"result": result.get()})


''', snake=snake(task.model), model=task.model, task=task.name))
    return "".join(parts)


def forms_py(app: App) -> str:
    parts = [f"from django import forms\n\nfrom .models import {', '.join(app.models)}\n\n\n"]
    for model in app.models:
        parts.append(render('''
class ${model}Form(forms.ModelForm):
    class Meta:
        model = ${model}
        fields = ["name", "slug", "amount", "is_active"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if len(name) < ${n}:
            raise forms.ValidationError(f"Name must have at least ${n} characters, got {len(name)}.")
        return name


''', model=model, n=app.rng.randint(2, 5)))
    return "".join(parts)


def serializers_py(app: App) -> str:
    parts = [f"from rest_framework import serializers\n\nfrom .models import {', '.join(app.models)}\n\n\n"]
    for model in app.models:
        parts.append(render('''
class ${model}Serializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()

    class Meta:
        model = ${model}
        fields = ("id", "name", "slug", "amount", "is_active", "label")
        read_only_fields = ("id",)

    def get_label(self, obj):
        return f"{obj.name} [{obj.slug}]"

    def validate_amount(self, value):
        if value < 0:
            raise serializers.ValidationError("Amount cannot be negative.")
        return value


''', model=model))
    return "".join(parts)


def admin_py(app: App) -> str:
    parts = [f"from django.contrib import admin\n\nfrom .models import {', '.join(app.models)}\n\n\n"]
    for model in app.models:
        parts.append(render('''
@admin.register(${model})
class ${model}Admin(admin.ModelAdmin):
    list_display = ("name", "slug", "amount", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


''', model=model))
    return "".join(parts)


def urls_py(app: App) -> str:
    lines = ["from django.urls import path", "", "from . import views", "", f'app_name = "{app.label}"', "",
             "urlpatterns = ["]
    for model in app.models:
        s = snake(model)
        lines += [
            f'    path("{s}/", views.{model}ListView.as_view(), name="{s}-list"),',
            f'    path("{s}/<int:pk>/", views.{model}DetailView.as_view(), name="{s}-detail"),',
            f'    path("{s}/<int:pk>/summary/", views.{s}_summary, name="{s}-summary"),',
        ]
    return "\n".join(lines + ["]", ""])


def apps_py(app: App) -> str:
    return render('''
from django.apps import AppConfig


class ${cls}Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "${app}"
''', cls=camel(app.label), app=app.label)


def utils_py(app: App, filler: Filler, target: int) -> str:
    parts = [render(HELPER_HEADER, app=app.label, noun=app.noun, topic="utilities")]
    filler.fill(parts, target)
    return "".join(parts)


# --------------------------------------------------------------------------
# Celery code: tasks.py and services.py (only in Celery apps).
# --------------------------------------------------------------------------

TASK_TEMPLATES = {
    "autoretry": (True, '''
@shared_task(autoretry_for=(requests.RequestException, ConnectionError)${extra})
def ${name}(${arg}):
    obj = ${model}.objects.get(pk=${arg})
    response = requests.post(f"https://api.example.com/${app}/{obj.pk}", json={"name": obj.name}, timeout=10)
    response.raise_for_status()
    logger.info("synced %s", obj.pk)
    return response.status_code


'''),
    "bind_retry": (True, '''
@app.task(bind=True, max_retries=${n}, default_retry_delay=30)
def ${name}(self, ${arg}):
    try:
        obj = ${model}.objects.get(pk=${arg})
        requests.put(f"https://hooks.example.com/{obj.slug}", timeout=5).raise_for_status()
    except requests.RequestException as exc:
        raise self.retry(exc=exc, countdown=60)
    return obj.pk


'''),
    "plain": (False, '''
@shared_task
def ${name}(days=${n}):
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = ${model}.objects.filter(created_at__lt=cutoff, is_active=False).delete()
    logger.info("removed %d stale rows", deleted)
    return deleted


'''),
    "acks_late": (False, '''
@shared_task(acks_late=True, ignore_result=True)
def ${name}():
    names = [obj.name for obj in ${model}.objects.filter(is_active=True).only("name")]
    cache.set("${app}:${snake}:names", sorted(names), timeout=3600)


'''),
}
TASK_PREFIX = {"autoretry": "sync", "bind_retry": "push", "plain": "cleanup", "acks_late": "rebuild"}


def plan_tasks(app: App) -> list[tuple[str, Task]]:
    """The issue's three shapes first, then a random mix, 3-6 in all."""
    kinds = ["autoretry", "bind_retry", "plain"]
    kinds += [app.rng.choice(list(TASK_TEMPLATES)) for _ in range(app.rng.randint(0, 3))]
    planned = []
    for k, kind in enumerate(kinds):
        model = app.rng.choice(app.models)
        name = f"{TASK_PREFIX[kind]}_{snake(model)}_{k}"
        planned.append((kind, Task(name, model, TASK_TEMPLATES[kind][0])))
    return planned


def tasks_py(app: App, planned: list[tuple[str, Task]]) -> str:
    parts = [render('''
"""Background jobs for ${app}."""
import logging
from datetime import timedelta

import requests
from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from proj.celery import app

from .models import ${models}

logger = logging.getLogger(__name__)


''', app=app.label, models=", ".join(app.models))]
    for kind, task in planned:
        rng = app.rng
        extra = rng.choice(["", ", max_retries=5", ', retry_kwargs={"max_retries": 3}'])
        parts.append(render(TASK_TEMPLATES[kind][1], name=task.name, model=task.model, app=app.label,
                            arg=f"{snake(task.model)}_id", snake=snake(task.model),
                            n=rng.randint(3, 30), extra=extra))
    id_task = next(t for _, t in planned if t.takes_id)
    # Registered on the app so that beat_schedule() can schedule it.
    app.tasks.append(Task(f"fan_out_{snake(id_task.model)}", id_task.model, takes_id=False))
    parts.append(render('''
@shared_task
def fan_out_${snake}():
    for pk in ${model}.objects.values_list("pk", flat=True):
        ${task}.delay(pk)


''', snake=snake(id_task.model), model=id_task.model, task=id_task.name))
    return "".join(parts)


SERVICE_TEMPLATES = [
    # .delay() inside `with transaction.atomic():`
    '''
def update_${snake}_${k}(${snake}_id, **changes):
    with transaction.atomic():
        obj = ${model}.objects.select_for_update().get(pk=${snake}_id)
        for attr, value in changes.items():
            setattr(obj, attr, value)
        obj.save()
        ${task}.delay(obj.pk)
    return obj


''',
    # .apply_async() under @transaction.atomic
    '''
@transaction.atomic
def archive_${snake}_${k}(${snake}_id):
    obj = ${model}.objects.get(pk=${snake}_id)
    obj.is_active = False
    obj.save(update_fields=["is_active"])
    ${task}.apply_async(args=(obj.pk,), countdown=10)
    return obj


''',
    # already safe: on_commit + partial
    '''
def create_${snake}_${k}(name, owner):
    with transaction.atomic():
        obj = ${model}.objects.create(name=name, slug=slugify(name), owner=owner)
        transaction.on_commit(partial(${task}.delay, obj.pk))
    return obj


''',
    # late-binding lambda in a loop
    '''
def bulk_refresh_${snake}_${k}(queryset):
    with transaction.atomic():
        for obj in queryset.select_for_update():
            obj.save()
            transaction.on_commit(lambda: ${task}.delay(obj.pk))


''',
    # model instance passed to .delay(), inside atomic
    '''
def notify_${snake}_${k}(obj):
    with transaction.atomic():
        obj.save()
        ${task}.delay(obj)


''',
    # inner savepoint exits, outer transaction still open
    '''
@transaction.atomic
def merge_${snake}_${k}(source_id, target_id):
    source = ${model}.objects.get(pk=source_id)
    with transaction.atomic():
        target = ${model}.objects.select_for_update().get(pk=target_id)
        target.amount += source.amount
        target.save()
    ${task}.delay(target.pk)
    return target


''',
]


def services_py(app: App, tasks: list[Task], filler: Filler) -> str:
    id_tasks = [t for t in tasks if t.takes_id]
    parts = [render('''
"""Domain services for ${app}."""
import dataclasses
import logging
from collections import defaultdict
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.utils.text import slugify

from .models import ${models}
from .tasks import ${tasks}

logger = logging.getLogger(__name__)


''', app=app.label, models=", ".join(app.models), tasks=", ".join(t.name for t in id_tasks))]
    templates = SERVICE_TEMPLATES[:2] + app.rng.sample(SERVICE_TEMPLATES[2:], app.rng.randint(1, 3))
    for k, template in enumerate(templates):
        task = app.rng.choice(id_tasks)
        parts.append(render(template, k=k, snake=snake(task.model), model=task.model, task=task.name))
        parts.append(filler.block())  # real services files are mostly ordinary code
    filler.fill(parts, app.rng.randint(200, 400))
    return "".join(parts)


# --------------------------------------------------------------------------
# Project assembly.
# --------------------------------------------------------------------------

def app_files(app: App, unrelated_scale: float) -> dict[str, str]:
    rng = app.rng
    filler = Filler(rng, app.noun)
    files: dict[str, str] = {}
    if app.has_celery:
        planned = plan_tasks(app)
        app.tasks = [task for _, task in planned]
        files["tasks.py"] = tasks_py(app, planned)
        files["services.py"] = services_py(app, app.tasks, filler)
    files.update({
        "__init__.py": "",
        "apps.py": apps_py(app),
        "models.py": models_py(app),
        "views.py": views_py(app),
        "forms.py": forms_py(app),
        "serializers.py": serializers_py(app),
        "admin.py": admin_py(app),
        "urls.py": urls_py(app),
        "utils.py": utils_py(app, filler, rng.randint(100, 250)),
        "migrations/__init__.py": "",
        "migrations/0001_initial.py": migration_py(app),
    })
    # helpers_k.py top the app up to its line budget; scaling them varies only unrelated code.
    budget = rng.randint(*LINES_PER_APP) - sum(map(line_count, files.values()))
    budget = int(budget * unrelated_scale)
    k = 0
    while budget >= HELPER_LINES[0]:
        # Skewed towards the long end: real projects have fewer, larger modules.
        target = min(budget, int(rng.triangular(*HELPER_LINES, HELPER_LINES[1] * 0.9)))
        topic = rng.choice(["formatting", "lookups", "reporting", "pricing", "exports"])
        parts = [render(HELPER_HEADER, app=app.label, noun=app.noun, topic=topic)]
        Filler(rng, app.noun).fill(parts, target)
        files[f"helpers_{k}.py"] = "".join(parts)
        budget -= line_count(files[f"helpers_{k}.py"])
        k += 1
    return {f"{app.label}/{name}": text for name, text in files.items()}


def beat_schedule(apps: list[App]) -> str:
    schedules = [
        ("timedelta(minutes=5)", ""),
        ('crontab(minute=0, hour="*/3")', ', "options": {"expires": 60 * 60}'),
        ('crontab(minute="*/15")', ""),
        ("timedelta(hours=1)", ', "options": {"queue": "periodic"}'),
        ("crontab(minute=30, hour=4, day_of_week=1)", ""),
        ("timedelta(seconds=90)", ', "options": {"expires": 60}'),
    ]
    # Mostly argument-less tasks, as in real schedules; id tasks (with args) top up small projects.
    tasks = [(app, t) for app in apps for t in app.tasks if not t.takes_id]
    tasks += [(app, t) for app in apps for t in app.tasks if t.takes_id]
    entries = []
    for (app, task), (schedule, options) in zip(tasks, schedules):
        args = ', "args": (1,)' if task.takes_id else ""
        entries.append(f'    "{task.name}": {{"task": "{app.label}.tasks.{task.name}", '
                       f'"schedule": {schedule}{args}{options}}},\n')
    return "CELERY_BEAT_SCHEDULE = {\n" + "".join(entries) + "}\n"


def settings_py(apps: list[App]) -> str:
    installed = "".join(f'    "{app.label}",\n' for app in apps)
    return render('''
"""Django settings for proj."""
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
${installed}]

ROOT_URLCONF = "proj.urls"
WSGI_APPLICATION = "proj.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "proj",
        "USER": "proj",
        "HOST": "localhost",
        "PORT": 5432,
        "ATOMIC_REQUESTS": True,
    }
}

USE_TZ = True
TIME_ZONE = "UTC"

CELERY_BROKER_URL = "redis://localhost:6379/0"
CELERY_RESULT_BACKEND = "redis://localhost:6379/1"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 4
CELERY_TASK_ROUTES = {"app_000.tasks.*": {"queue": "default"}}
CELERY_BEAT_SCHEDULER = "celery.beat:PersistentScheduler"

${beat}''', installed=installed, beat=beat_schedule(apps))


def project_files(apps: list[App]) -> dict[str, str]:
    includes = "".join(f'    path("{a.label}/", include("{a.label}.urls")),\n' for a in apps)
    return {
        "manage.py": render('''
#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
'''),
        "proj/__init__.py": 'from .celery import app as celery_app\n\n__all__ = ("celery_app",)\n',
        "proj/settings.py": settings_py(apps),
        "proj/celery.py": render('''
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")

app = Celery("proj")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
'''),
        "proj/urls.py": "from django.urls import include, path\n\nurlpatterns = [\n" + includes + "]\n",
        "proj/wsgi.py": render('''
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
application = get_wsgi_application()
'''),
    }


@dataclass
class Stats:
    files: int
    lines: int
    relevant_files: int


def generate(outdir: Path, apps: int, seed: int = 0, unrelated_scale: float = 1.0,
             check: bool = True) -> Stats:
    all_apps = [new_app(i, seed) for i in range(apps)]
    files: dict[str, str] = {}
    for app in all_apps:
        files.update(app_files(app, unrelated_scale))
    files.update(project_files(all_apps))
    for rel, text in files.items():
        if check:
            ast.parse(text, filename=rel)  # raises SyntaxError: a generator bug, not a benchmark result
        path = outdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return Stats(
        files=len(files),
        lines=sum(map(line_count, files.values())),
        relevant_files=sum(1 for text in files.values() if RELEVANT_RE.search(text)),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--apps", type=int, required=True, help="number of Django apps (~2,000 lines each)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--unrelated-scale", type=float, default=1.0,
                        help="multiply the helpers_k.py code (no Celery) by this factor")
    parser.add_argument("--no-check", action="store_true", help="skip the ast.parse self-check")
    args = parser.parse_args(argv)
    if args.outdir.exists() and any(args.outdir.iterdir()):
        parser.error(f"{args.outdir} is not empty")
    stats = generate(args.outdir, args.apps, args.seed, args.unrelated_scale, check=not args.no_check)
    share = 100 * stats.relevant_files / stats.files
    print(f"{args.outdir}: {stats.files} files, {stats.lines} lines, "
          f"{stats.relevant_files} celery-relevant files ({share:.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
