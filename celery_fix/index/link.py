"""Cross-file linking: the per-file facts become the ProjectIndex.

Names are followed through re-exports (`from .celery import app as celery_app`), decorators are
recognised once every app, preset and factory of the project is known, base classes are merged
into the task options, settings keys are mapped to Celery's canonical names, and dispatches and
result consumers are tied to the tasks they name.
"""

from __future__ import annotations

from typing import Any, Callable

from celery_fix.constructs.bindings import (
    CELERY_APP_FACTORIES,
    CURRENT_APP,
    SHARED_TASK,
)
from celery_fix.constructs.modules import is_test_path
from celery_fix.index.facts import ClassFact, Decorated, FileFacts, FunctionFact
from celery_fix.index.model import AppInfo, BeatEntry, Consumer, DispatchSite, TaskInfo
from celery_fix.index.settings import SettingsReader
from celery_fix.index.values import UNKNOWN, Ref, schedule_info

ATOMIC = frozenset({"django.db.transaction.atomic"})
CELERY_TASK_CLASSES = frozenset({
    "celery.Task", "celery.app.task.Task", "celery.task.Task", "celery.contrib.django.task.DjangoTask",
    "celery.contrib.abortable.AbortableTask",
})

ModuleLoader = Callable[[str], "FileFacts | None"]


class Linker:
    def __init__(self, facts: list[FileFacts], atomic_functions: tuple[str, ...] = (), load: ModuleLoader | None = None,
                 celery_apps: tuple[str, ...] = ()):
        self.celery_apps = celery_apps  # option `celery-apps`: apps no rule can see being created
        self.source_roots: tuple[str, ...] = ()  # set by build_index
        self.schedule_names: set[str] = set()  # module-level dicts a beat schedule is assembled from
        self.facts = [f for f in facts if f.error is None]
        self.modules: dict[str, FileFacts] = {}
        for f in self.facts:
            self.modules.setdefault(f.module, f)
        self.load = load
        self.atomic_functions = atomic_functions
        self.functions: dict[str, tuple[FunctionFact, FileFacts]] = {
            fn.qualname: (fn, f) for f in self.facts for fn in f.functions
        }
        self.classes: dict[str, tuple[ClassFact, FileFacts]] = {c.qualname: (c, f) for f in self.facts for c in f.classes}

    # -- names ---------------------------------------------------------------------------------
    def module(self, name: str) -> FileFacts | None:
        found = self.modules.get(name)
        if found is None and self.load is not None and name not in self.modules:
            found = self.load(name)
            self.modules[name] = found  # None: known not to be a project module
            if found is not None and found.error is None:
                self.functions.update({fn.qualname: (fn, found) for fn in found.functions})
                self.classes.update({c.qualname: (c, found) for c in found.classes})
        return found

    def split(self, qualname: str) -> tuple[FileFacts | None, str, list[str]]:
        """The project module holding `qualname`, the name in it, and the attribute path after."""
        parts = qualname.split(".")
        for i in range(len(parts) - 1, 0, -1):
            facts = self.modules.get(".".join(parts[:i]))
            if facts is not None:
                return facts, parts[i], parts[i + 1:]
        return None, "", []

    def canonical(self, qualname: str | None, depth: int = 0) -> str | None:
        """Where `qualname` is really defined, following imports and aliases between project modules."""
        if not qualname or depth > 12:
            return qualname
        facts, name, rest = self.split(qualname)
        if facts is None:
            return qualname
        binding = facts.bindings.get(name)
        if binding is None or binding[0] not in ("import", "alias"):
            return qualname
        target = ".".join([binding[1], *rest])
        return qualname if target == qualname else self.canonical(target, depth + 1)

    def constant(self, qualname: str) -> Any:
        qualname = self.canonical(qualname)
        parts = qualname.split(".")
        if len(parts) < 2:
            return UNKNOWN
        facts = self.module(".".join(parts[:-1]))
        if facts is None or facts.error is not None:
            return UNKNOWN
        return facts.constants.get(parts[-1], UNKNOWN)

    def deref(self, value: Any, depth: int = 0) -> Any:
        """Refs to project constants replaced by their literal values."""
        if depth > 5:
            return value
        if isinstance(value, Ref):
            found = self.constant(value.name)
            return value if found is UNKNOWN else self.deref(found, depth + 1)
        if isinstance(value, tuple):
            return tuple(self.deref(v, depth + 1) for v in value)
        if isinstance(value, list):
            return [self.deref(v, depth + 1) for v in value]
        if isinstance(value, dict):
            return {k: self.deref(v, depth + 1) for k, v in value.items()}
        return value

    # -- apps and decorators -------------------------------------------------------------------
    def link_apps(self) -> tuple[dict[str, AppInfo], set[str]]:
        apps: dict[str, AppInfo] = {}
        for f in self.facts:
            for app in f.apps:
                main = app.main if isinstance(app.main, str) else None
                task_cls = app.kwargs.get("task_cls")
                apps[app.qualname] = AppInfo(app.qualname, f.path, app.line, main=main,
                                             task_cls=str(task_cls) if task_cls not in (None, UNKNOWN) else None)
        self.indirect_apps(apps)
        aliases = set(apps)
        for f in self.facts:
            for name, (kind, qualname) in f.bindings.items():
                if kind in ("import", "alias") and self.canonical(qualname) in apps:
                    aliases.add(f"{f.module}.{name}")
        self.apps = apps
        return apps, aliases

    def indirect_apps(self, apps: dict[str, AppInfo]) -> None:
        """Apps not made by a literal `Celery(...)`: made by a project factory or a project subclass
        of `Celery`, a module-level name Celery-only app methods are called on, option `celery-apps`."""
        for qualname in self.celery_apps:
            apps.setdefault(qualname, AppInfo(qualname, "", 0))
        hinted = list(self.facts)
        for owner in self.decorator_modules(apps):
            loaded = self.module(owner)  # `@app.task` with `app` from a module the prefilter skipped
            if loaded is not None and loaded.error is None and loaded not in hinted:
                hinted.append(loaded)
        for f in hinted:
            for qualname, how, line in f.app_hints:
                canonical = self.canonical(qualname)
                if canonical in apps or canonical in CURRENT_APP:
                    continue
                if how.startswith("call:"):
                    if self.makes_app(how[len("call:"):]):
                        apps[canonical] = AppInfo(canonical, f.path, line)
                elif self.module_value(canonical):
                    owner = self.split(canonical)[0]
                    apps[canonical] = AppInfo(canonical, owner.path if owner else f.path, line)

    def decorator_modules(self, apps: dict[str, AppInfo]) -> list[str]:
        """The modules `@<module>.<name>.task` decorators take an unknown `<name>` from."""
        owners: dict[str, None] = {}
        for f in self.facts:
            for fn in f.functions:
                for decorator in fn.decorators:
                    target = self.canonical(decorator.target)
                    if target and target.endswith(".task") and target[: -len(".task")] not in apps:
                        parts = target.split(".")
                        if len(parts) > 2 and ".".join(parts[:-2]) not in self.modules:
                            owners.setdefault(".".join(parts[:-2]), None)
        return list(owners)

    def makes_app(self, callee: str | None, depth: int = 0) -> bool:
        """Whether calling `callee` gives a Celery app: `Celery` itself, a project subclass of it,
        or a project function that returns one (through at most a few factories)."""
        canonical = self.canonical(callee)
        if not canonical or depth > 4:
            return False
        if canonical in CELERY_APP_FACTORIES:
            return True
        if "." in canonical and canonical not in self.functions and canonical not in self.classes:
            self.module(canonical.rsplit(".", 1)[0])  # a factory in a module the prefilter skipped
        found = self.classes.get(canonical)
        if found is not None:
            return any(self.makes_app(base, depth + 1) for base in found[0].bases if base)
        fn = self.functions.get(canonical)
        return fn is not None and not fn[0].is_method and self.makes_app(fn[0].returns_call, depth + 1)

    def module_value(self, qualname: str) -> bool:
        """Whether `qualname` is a name assigned at the top of a project module (not an import, a
        def or a class): what a Celery-only method call makes an app."""
        facts, name, rest = self.split(qualname)
        if facts is None or rest:
            return False
        binding = facts.bindings.get(name)
        return binding is not None and binding[0] in ("value", "app")

    def unresolved_task_decorators(self) -> list[str]:
        """`@<x>.task` decorators whose `<x>` is no app the index knows (the one-line hint's
        evidence): resolved names, in order, once each."""
        found: dict[str, None] = {}
        for f in self.facts:
            for fn in f.functions:
                for decorator in fn.decorators:
                    target = decorator.target
                    if target and target.endswith(".task") and self.task_factory(target, decorator.called) is None:
                        found.setdefault(self.canonical(target) or target, None)
        return list(found)

    def app_of(self, qualname: str | None) -> str | None:
        canonical = self.canonical(qualname)
        if canonical in self.apps or canonical in CURRENT_APP:
            return canonical
        return None

    def task_factory(self, target: str | None, called: bool, depth: int = 0) -> tuple[str | None, list[Decorated]] | None:
        """Whether `@target` (`@target(...)` when called) makes a task: (app or None, the presets
        whose options apply, outermost first). None when it is not a task decorator."""
        if not target or depth > 8:
            return None
        canonical = self.canonical(target)
        if canonical in SHARED_TASK:
            return None, []
        if canonical.endswith(".task"):
            app = self.app_of(canonical[: -len(".task")])
            if app is not None:
                return app, []
        facts, name, rest = self.split(canonical)
        if facts is None or rest:
            return None
        preset = facts.presets.get(name)
        if preset is not None and not called:
            inner = self.task_factory(preset.target, True, depth + 1)
            if inner is not None:
                return inner[0], [preset, *inner[1]]
        factory = facts.factories.get(name)
        if factory is not None:
            inner = self.task_factory(factory.target, True, depth + 1)
            if inner is not None:
                return inner[0], [factory, *inner[1]]
        return None

    def decorator_options(self, decorator: Decorated, presets: list[Decorated]) -> tuple[dict[str, Any], bool]:
        options, _, unknown = self.decorator_options_sourced(decorator, presets)
        return options, unknown

    def decorator_options_sourced(
        self, decorator: Decorated, presets: list[Decorated],
    ) -> tuple[dict[str, Any], dict[str, str], bool]:
        """The decorator's options over its presets' (outermost first), where each comes from, and
        whether some may come from an expression we cannot read."""
        options: dict[str, Any] = {}
        sources: dict[str, str] = {}
        unknown = False
        for source in [decorator, *presets] if decorator.called else presets:
            where = "decorator" if source is decorator else f"preset {self.canonical(source.target) or '?'}"
            unknown |= source.options_unknown
            for key, value in source.options.items():
                if key not in options:
                    options[key], sources[key] = value, where
            for spread in source.spreads:
                found = self.deref(Ref(spread))
                if isinstance(found, dict):
                    for key, value in found.items():
                        if key not in options:
                            options[key], sources[key] = value, f"**{spread}"
                else:
                    unknown = True
        return {k: self.deref(v) for k, v in options.items()}, sources, unknown

    # -- base classes ----------------------------------------------------------------------------
    def class_attributes(self, qualname: str | None, depth: int = 0) -> tuple[dict[str, Any], bool, str | None]:
        """Attributes of a task class through its project bases: (attributes, unknown, resolved name)."""
        attributes, _, unreadable, canonical = self.class_options(qualname, depth)
        return attributes, bool(unreadable), canonical

    def class_options(
        self, qualname: str | None, depth: int = 0,
    ) -> tuple[dict[str, Any], dict[str, str], tuple[str, ...], str | None]:
        """A task class's attributes over those of its bases, as Python's MRO finds them (each
        class over its bases, the first base first): (attributes, key -> "class <qualname>" that
        sets it, the bases we cannot read, the class's resolved name)."""
        canonical = self.canonical(qualname)
        if not canonical or depth > 10:
            return {}, {}, (canonical or "?",), canonical
        if canonical in CELERY_TASK_CLASSES or canonical.endswith(".Task") and self.app_of(canonical[:-5]):
            return {}, {}, (), canonical
        facts, name, rest = self.split(canonical)
        if facts is not None and not rest:
            self.module(facts.module)
        found = self.classes.get(canonical)
        if found is None:
            return {}, {}, (canonical,), canonical  # a base we cannot see: its options are unknown
        cls = found[0]
        attributes: dict[str, Any] = {}
        sources: dict[str, str] = {}
        unreadable: list[str] = []
        for base in cls.bases:
            if base is None:
                unreadable.append(f"{canonical}(<expression>)")
                continue
            inherited, inherited_sources, base_unreadable, _ = self.class_options(base, depth + 1)
            unreadable.extend(b for b in base_unreadable if b not in unreadable)
            for key, value in inherited.items():
                if key not in attributes:
                    attributes[key], sources[key] = value, inherited_sources[key]
        for key, value in cls.attributes.items():
            attributes[key], sources[key] = self.deref(value), f"class {canonical}"
        if cls.attributes_unknown:
            unreadable.append(canonical)
        return attributes, sources, tuple(unreadable), canonical

    def is_task_class(self, qualname: str | None, depth: int = 0) -> bool:
        canonical = self.canonical(qualname)
        if not canonical or depth > 10:
            return False
        if canonical in CELERY_TASK_CLASSES or (canonical.endswith(".Task") and self.app_of(canonical[:-5])):
            return True
        found = self.classes.get(canonical)
        return found is not None and any(self.is_task_class(b, depth + 1) for b in found[0].bases if b)

    def default_base(self, app: str | None) -> str | None:
        """The app's `task_cls` ("module:Class" or dotted), used when a task names no `base=`."""
        infos = [self.apps[app]] if app in self.apps else list(self.apps.values())
        classes = {i.task_cls for i in infos}
        if len(classes) != 1 or None in classes:
            return None
        task_cls = classes.pop()
        return task_cls.replace(":", ".")

    # -- tasks ------------------------------------------------------------------------------------
    def link_tasks(self) -> list[TaskInfo]:
        tasks: list[TaskInfo] = []
        for f in self.facts:
            for fn in f.functions:
                task = self.function_task(fn, f)
                if task is not None:
                    tasks.append(task)
            for registration in f.registrations:
                task = self.class_task(registration.cls, registration.line)
                if task is not None:
                    tasks.append(task)
            for cls in f.classes:
                if self.defines_class_task(cls):
                    task = self.class_task(cls.qualname, cls.line)
                    if task is not None:
                        tasks.append(task)
        seen: set[str] = set()
        unique = []
        for task in tasks:
            if task.qualname not in seen:
                seen.add(task.qualname)
                unique.append(task)
        return unique

    def function_task(self, fn: FunctionFact, f: FileFacts) -> TaskInfo | None:
        for position, decorator in enumerate(fn.decorators):
            found = self.task_factory(decorator.target, decorator.called)
            if found is None:
                continue
            app, presets = found
            options, sources, unknown = self.decorator_options_sourced(decorator, presets)
            base = options.get("base")
            base_name = base.name if isinstance(base, Ref) else None
            if base is None:
                base_name = self.default_base(app)
            attributes: dict[str, Any] = {}
            attribute_sources: dict[str, str] = {}
            unreadable: tuple[str, ...] = ()
            if base_name is not None:
                attributes, attribute_sources, unreadable, base_name = self.class_options(base_name)
                unknown |= bool(unreadable)
            elif base is not None:
                unknown = True  # base= an expression we cannot follow
                unreadable = ("<expression>",)
            # the decorator's options win over the class attributes (Celery sets them on the
            # task class it builds from `base`)
            effective = {**attributes, **options}
            sources = {**attribute_sources, **sources}
            explicit = "name" in options
            name_value = options.get("name")
            if explicit:
                name = name_value if isinstance(name_value, str) else None
            elif isinstance(attributes.get("name"), str):
                name = attributes["name"]
            else:
                name = f"{f.module}.{fn.name}" if f.module else fn.name
            bind = options.get("bind") is True
            others = tuple(d.target or "?" for i, d in enumerate(fn.decorators) if i != position)
            return TaskInfo(
                qualname=fn.qualname, name=name, path=f.path, line=decorator.line, column=decorator.column,
                kind="function", options=effective, options_unknown=unknown, bind=bind,
                returns_value=fn.returns_value, module=f.module, function=fn.name, name_explicit=explicit,
                decorator=self.canonical(decorator.target) or "", app=app, base=base_name,
                other_decorators=others, params=fn.params, docstring=fn.docstring, def_line=fn.line,
                option_sources=sources, unknown_bases=unreadable, base_attributes=tuple(sorted(attributes)),
            )
        return None

    def class_task(self, qualname: str | None, line: int) -> TaskInfo | None:
        canonical = self.canonical(qualname)
        found = self.classes.get(canonical) if canonical else None
        if found is None:
            return None
        cls, f = found
        attributes, sources, unreadable, _ = self.class_options(canonical)
        unknown = bool(unreadable)
        name_value = attributes.get("name")
        name = name_value if isinstance(name_value, str) else (None if "name" in attributes else f"{f.module}.{cls.name}")
        returns_value, bind = cls.run_returns_value, True
        if not cls.has_run:
            run_owner = self._run_owner(canonical)
            returns_value = run_owner.run_returns_value if run_owner else True
        base = next((self.canonical(b) for b in cls.bases if b), None)
        return TaskInfo(
            qualname=canonical, name=name, path=f.path, line=cls.line, column=cls.column, kind="class",
            options=attributes, options_unknown=unknown, bind=bind, returns_value=returns_value,
            module=f.module, function=cls.name, name_explicit="name" in attributes, decorator="register_task",
            base=base, params=cls.run_params, docstring=cls.docstring, def_line=cls.line,
            option_sources=sources, unknown_bases=unreadable,
        )

    def defines_class_task(self, cls: ClassFact) -> bool:
        """A `celery.Task` subclass that defines `run` and is not `abstract = True`: a class-based
        task (registered with `app.register_task`, or meant to be)."""
        if not cls.has_run or cls.attributes.get("abstract") is True:
            return False
        return any(self.is_task_class(base) for base in cls.bases if base)

    def _run_owner(self, qualname: str, depth: int = 0) -> ClassFact | None:
        found = self.classes.get(qualname)
        if found is None or depth > 10:
            return None
        if found[0].has_run:
            return found[0]
        for base in found[0].bases:
            owner = self._run_owner(self.canonical(base), depth + 1) if base else None
            if owner is not None:
                return owner
        return None

    # -- atomic wrappers and the call graph --------------------------------------------------------
    def link_atomic(self) -> set[str]:
        # the modules of every context manager / decorator in use: a wrapper such as
        # `traced_atomic` may live in a file the prefilter skipped
        for f in list(self.facts):
            contexts = {c for d in f.dispatches for c in d.atomic_context}
            contexts |= {c for call in f.calls for c in call.atomic_context}
            for context in contexts:
                canonical = self.canonical(context)
                if canonical and "." in canonical and canonical not in ATOMIC:
                    self.module(canonical.rsplit(".", 1)[0])
        dotted = {a for a in self.atomic_functions if "." in a}
        bare = {a for a in self.atomic_functions if "." not in a}
        atomic = set(ATOMIC) | dotted
        wrappers: set[str] = set(dotted)
        for fn, _ in self.functions.values():
            if fn.name in bare:
                wrappers.add(fn.qualname)
        atomic |= wrappers
        changed = True
        while changed:
            changed = False
            for qualname, (fn, _) in self.functions.items():
                if qualname in atomic or not fn.atomic_evidence:
                    continue
                if self._wraps_atomic(fn, atomic):
                    atomic.add(qualname)
                    wrappers.add(qualname)
                    changed = True
        self.atomic = atomic
        self.bare_atomic = bare
        return wrappers

    def _wraps_atomic(self, fn: FunctionFact, atomic: set[str]) -> bool:
        for mode, target in fn.atomic_evidence:
            if self.canonical(target) not in atomic:
                continue
            if mode == "return":
                return True
            if mode == "with" and fn.contextmanager:
                return True
            if mode == "nested_with" and fn.returns_nested_function:
                return True
        return False

    def inside_atomic(self, contexts: tuple[str, ...]) -> bool:
        for context in contexts:
            canonical = self.canonical(context)
            if canonical in self.atomic or canonical.rsplit(".", 1)[-1] in self.bare_atomic:
                return True
        return False

    def link_calls(self) -> tuple[dict[str, set[str]], list[tuple[str, str, str, int]]]:
        calls: dict[str, set[str]] = {}
        atomic_sites: list[tuple[str, str, str, int]] = []
        for f in self.facts:
            for call in f.calls:
                if call.caller is None:
                    continue
                callee = self.canonical(call.callee)
                if callee not in self.functions:
                    callee = self.method_callee(callee, call.method_of)
                    if callee is None:
                        continue
                calls.setdefault(call.caller, set()).add(callee)
                if call.atomic_context and self.inside_atomic(call.atomic_context) and not self.is_test(f.path):
                    atomic_sites.append((call.caller, callee, f.path, call.line))
        return calls, atomic_sites

    def method_callee(self, callee: str | None, method_of: str | None) -> str | None:
        """`Class.m` (`Class().m()`, a typed local's `.m()`) where `Class` is a project class: the
        method it runs, defined on the class or inherited from a project base."""
        owner, _, name = (callee or "").rpartition(".")
        if method_of is None and owner not in self.classes:
            owner = self.instance_class(owner)  # `svc.m()`, `svc = Service()` at a module's top
            if owner is None:
                return None
        return self._find_method(self.canonical(owner), name)

    def instance_class(self, qualname: str) -> str | None:
        """The class of a module-level instance (`app.services.svc`), when a read module made it."""
        facts, name, rest = self.split(qualname)
        cls = facts.instances.get(name) if facts is not None and not rest else None
        return self.canonical(cls) if cls else None

    def _find_method(self, cls: str | None, name: str, depth: int = 0) -> str | None:
        found = self.classes.get(cls or "")
        if found is None or depth > 5:
            return None
        method = f"{cls}.{name}"
        if method in self.functions:
            return method
        for base in found[0].bases:
            inherited = self._find_method(self.canonical(base), name, depth + 1)
            if inherited is not None:
                return inherited
        return None

    # -- settings classes --------------------------------------------------------------------------
    def class_settings(self, qualname: str) -> list[tuple[FileFacts, Any]]:
        """The upper-case settings a project settings class defines or inherits from project bases
        (the first definition in its method resolution order wins), with the file of each."""
        order = self._mro(self.canonical(qualname) or qualname)
        seen: set[str] = set()
        found = []
        for cls in order:
            fact, facts = self.classes[cls]
            for assign in fact.settings:
                if assign.name not in seen:
                    seen.add(assign.name)
                    found.append((facts, assign))
        return found

    def _mro(self, qualname: str, depth: int = 0) -> list[str]:
        """The project classes of `qualname`'s C3 linearisation (bases outside the project end it)."""
        if qualname not in self.classes and "." in qualname:
            self.module(qualname.rpartition(".")[0])  # a base in a module the prefilter skipped
            qualname = self.canonical(qualname) or qualname
        if qualname not in self.classes or depth > 10:
            return []
        bases = [b for b in (self.canonical(base) for base in self.classes[qualname][0].bases) if b]
        sequences = [self._mro(base, depth + 1) for base in bases]
        bases = [seq[0] for seq in sequences if seq]  # the project's (a resolved name may move on load)
        sequences = [seq for seq in sequences if seq] + [bases]
        order = [qualname]
        while any(sequences):
            sequences = [seq for seq in sequences if seq]
            head = next((seq[0] for seq in sequences if not any(seq[0] in other[1:] for other in sequences)), None)
            if head is None:
                return order  # no consistent order: Python would refuse the class
            order.append(head)
            sequences = [seq[1:] if seq[0] == head else seq for seq in sequences]
        return order

    # -- signal receivers ------------------------------------------------------------------------
    def link_receivers(self) -> tuple[dict[str, str], dict[str, str]]:
        """Handler qualname -> model signal, for `<signal>.connect(handler)` anywhere in the project
        and for handlers registered through one project helper (a decorator factory returning
        `receiver(signal, ...)`, a function or decorator connecting its argument); and handler ->
        the helper, for those."""
        receivers = {self.canonical(h) or h: signal for f in self.facts for signal, h, _ in f.connects}
        decorators: dict[tuple[str, bool], tuple[str, str]] = {}  # (helper, used called) -> (signal, helper)
        callers: dict[tuple[str, int], tuple[str, str]] = {}  # (helper, position of the handler) -> ...
        for f in self.facts:
            for kind, helper, signal, position in f.receiver_helpers:
                if kind == "receiver":
                    decorators[(helper, True)] = (signal, helper)
                    continue
                callers[(helper, position)] = (signal, helper)
                if position == 0:
                    decorators[(helper, False)] = (signal, helper)  # `@register`
                owner = self.functions.get(helper.rpartition(".")[0])
                if position == 0 and owner is not None and owner[0].returns_local == helper:
                    decorators[(owner[0].qualname, True)] = (signal, owner[0].qualname)  # `@on_save(Order)`
        helpers: dict[str, str] = {}
        if not decorators and not callers:
            return receivers, helpers
        for f in self.facts:
            for fn in f.functions:
                for decorator in fn.decorators:
                    found = decorators.get((self.canonical(decorator.target) or "", decorator.called))
                    if found is not None:
                        receivers.setdefault(fn.qualname, found[0])
                        helpers.setdefault(fn.qualname, found[1])
            for callee, handler, _ in f.passed:
                found = callers.get((self.canonical(callee) or "", 0))
                if found is not None:
                    handler = self.canonical(handler) or handler
                    receivers.setdefault(handler, found[0])
                    helpers.setdefault(handler, found[1])
        return receivers, helpers

    # -- dispatches and consumers ----------------------------------------------------------------
    def link_dispatches(self, by_qualname: dict[str, TaskInfo], by_name: dict[str, TaskInfo]) -> list[DispatchSite]:
        sites = []
        for f in self.facts:
            for d in f.dispatches:
                task = self.task_for(d.target, d.task_name, by_qualname, by_name)
                if d.method in ("delay", "apply_async") and not d.runs:
                    continue  # `task.delay` passed around, not run here (nor on commit)
                if task is None and d.method not in ("delay", "apply_async", "send_task"):
                    if d.target is not None or d.task_name is None:
                        continue  # `.s()` of something that is not a task we know
                sites.append(DispatchSite(
                    path=f.path, line=d.line, column=d.column, method=d.method,
                    task=task.qualname if task else None,
                    task_name=task.name if task else d.task_name,
                    value_used=d.value_used, function=d.function,
                    inside_atomic=self.inside_atomic(d.atomic_context) and not d.deferred,
                    runs=d.runs, deferred=d.deferred, args=d.args, target=self.canonical(d.target),
                ))
        return sites

    def task_for(self, target, task_name, by_qualname, by_name) -> TaskInfo | None:
        if target:
            task = by_qualname.get(self.canonical(target))
            if task is not None:
                return task
        if task_name:
            return by_name.get(task_name)
        return None

    def link_consumers(self, by_qualname, by_name) -> list[Consumer]:
        consumers = []
        for f in self.facts:
            for c in f.consumers:
                task = self.task_for(c.target, c.task_name, by_qualname, by_name)
                consumers.append(Consumer(f.path, c.line, c.kind, task.qualname if task else None, c.function))
        return consumers

    # -- settings and beat -------------------------------------------------------------------------
    def link_settings(self):
        reader = SettingsReader(self)
        return reader.read()

    def is_test(self, path: str) -> bool:
        """Test code (constructs/modules.is_test_path): its callers, settings and beat entries are fixtures."""
        return is_test_path(path, self.source_roots)

    def schedule_entries(self, qualname: str, depth: int = 0) -> list[tuple[str, Any]]:
        """The entries of a module-level schedule dict `qualname` (`PERIODIC_TASKS = {...}` in its
        own module, imported into the settings), with the file each is written in, through names
        it is assembled from (`{**A, **B}`, `dict(A)`, `A | B`, `A.update(B)`, `A |= B`). Every
        name followed is kept in `schedule_names`: the beat rules report (and fix) there."""
        canonical = self.canonical(qualname)
        if not canonical or depth > 6:
            return []
        facts, name, rest = self.split(canonical)
        if facts is None:
            owner = canonical.rpartition(".")[0]
            facts = self.module(owner) if owner else None
            name, rest = canonical.rpartition(".")[2], []
        if facts is None or facts.error is not None or rest:
            return []
        found: list[tuple[str, Any]] = []
        for assign in facts.assignments:
            if assign.owner != "module" or assign.name != name or assign.entries is None:
                continue
            self.schedule_names.add(f"{facts.module}.{name}")
            for entry in assign.entries:
                if not entry.spread:
                    found.append((facts.path, entry))
                elif isinstance(entry.value, Ref):
                    found.extend(self.schedule_entries(entry.value.name, depth + 1))
        return found

    def beat_entries(self, beat_sources, by_qualname, by_name) -> list[BeatEntry]:
        entries = []
        for source, path, entry in beat_sources:
            entries.append(self.beat_entry(source, path, entry.name, entry.value, entry.line))
        for f in self.facts:
            if self.is_test(f.path):
                continue  # `add_periodic_task` in a test: a fixture
            for p in f.periodic:
                task = self.task_for(p.target, p.task_name, by_qualname, by_name)
                task_name = task.name if task else p.task_name
                kind, period = schedule_info(p.schedule)
                options = dict(p.options)
                entries.append(BeatEntry(
                    name=p.name if isinstance(p.name, str) else None, task=task_name, schedule_kind=kind,
                    period_seconds=period, path=f.path, line=p.line, has_expires="expires" in options,
                    has_expire_seconds="expire_seconds" in options, options=options, option_keys=tuple(options),
                    args=p.args, kwargs=p.kwargs, schedule=p.schedule, source="add_periodic_task",
                    options_unknown=p.options_unknown,
                ))
        return entries

    def beat_entry(self, source: str, path: str, name: Any, value: Any, line: int) -> BeatEntry:
        value = self.deref(value)
        if not isinstance(value, dict):
            return BeatEntry(name if isinstance(name, str) else None, None, "unknown", None, path, line,
                             source=source, options_unknown=True, schedule=UNKNOWN)
        schedule = value.get("schedule", UNKNOWN)
        kind, period = schedule_info(schedule)
        options = value.get("options", {})
        options_unknown = not isinstance(options, dict)
        options = options if isinstance(options, dict) else {}
        task = value.get("task")
        return BeatEntry(
            name=name if isinstance(name, str) else None, task=task if isinstance(task, str) else None,
            schedule_kind=kind, period_seconds=period, path=path, line=line,
            has_expires="expires" in options, has_expire_seconds="expire_seconds" in options,
            options=options, option_keys=tuple(str(k) for k in options), args=value.get("args"),
            kwargs=value.get("kwargs"), schedule=schedule, source=source, options_unknown=options_unknown,
        )


