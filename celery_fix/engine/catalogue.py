"""Every rule's code, name, options and prefilter words, read without importing the rules.

Generated from the rule classes by `python -m celery_fix.docs`; tests/test_readme.py fails when it
is stale. Do not edit."""

from celery_fix.engine.rule_info import RuleInfo

RULES = (
    RuleInfo('CEL101', 'side-effect-without-guard', 'celery_fix.rules.side_effect_without_guard', 'SideEffectWithoutGuardRule', True, {'side-effect-calls': ['*.charge', '*.refund', '*.capture_payment', 'stripe.*.create', 'stripe.*.capture', '*.send_webhook', '*.trigger_webhook']}, (b'task', b'Task')),
    RuleInfo('CEL102', 'non-idempotent-create', 'celery_fix.rules.non_idempotent_create', 'NonIdempotentCreateRule', True, {}, (b'create',)),
    RuleInfo('CEL201', 'broad-autoretry', 'celery_fix.rules.broad_autoretry', 'BroadAutoretryRule', True, {}, (b'autoretry_for',)),
    RuleInfo('CEL202', 'retry-without-backoff', 'celery_fix.rules.retry_without_backoff', 'RetryWithoutBackoffRule', True, {'retry-backoff-max': 600, 'explicit-backoff-defaults': True}, (b'autoretry_for',)),
    RuleInfo('CEL203', 'unbounded-retries', 'celery_fix.rules.unbounded_retries', 'UnboundedRetriesRule', True, {'max-retries': 10}, (b'max_retries',)),
    RuleInfo('CEL204', 'retry-on-permanent-error', 'celery_fix.rules.retry_on_permanent_error', 'RetryOnPermanentErrorRule', True, {}, (b'autoretry_for',)),
    RuleInfo('CEL205', 'retry-not-raised', 'celery_fix.rules.retry_not_raised', 'RetryNotRaisedRule', True, {}, (b'retry',)),
    RuleInfo('CEL206', 'manual-retry-without-countdown', 'celery_fix.rules.manual_retry_without_countdown', 'ManualRetryWithoutCountdownRule', True, {}, (b'retry',)),
    RuleInfo('CEL207', 'reraise-without-retry', 'celery_fix.rules.reraise_without_retry', 'ReraiseWithoutRetryRule', False, {}, (b'except',)),
    RuleInfo('CEL301', 'missing-time-limit', 'celery_fix.rules.missing_time_limit', 'MissingTimeLimitRule', False, {'soft-time-limit': 300, 'time-limit': 360}, (b'task', b'Task')),
    RuleInfo('CEL302', 'fan-out-in-loop', 'celery_fix.rules.fan_out_in_loop', 'FanOutInLoopRule', False, {'side-effect-calls': ['*.charge', '*.refund', '*.capture_payment', 'stripe.*.create', 'stripe.*.capture', '*.send_webhook', '*.trigger_webhook'], 'loop-writes': True}, (b'for ',)),
    RuleInfo('CEL303', 'monolithic-task', 'celery_fix.rules.monolithic_task', 'MonolithicTaskRule', False, {'min-stages': 3, 'min-models': 3, 'side-effect-calls': ['*.charge', '*.refund', '*.capture_payment', 'stripe.*.create', 'stripe.*.capture', '*.send_webhook', '*.trigger_webhook']}, (b'task', b'Task')),
    RuleInfo('CEL304', 'sync-subtask-wait', 'celery_fix.rules.sync_subtask_wait', 'SyncSubtaskWaitRule', True, {}, (b'.get(', b'.wait(', b'.join(', b'.join_native(')),
    RuleInfo('CEL305', 'soft-limit-not-below-hard', 'celery_fix.rules.soft_limit_not_below_hard', 'SoftLimitNotBelowHardRule', True, {}, (b'time_limit', b'TIME_LIMIT')),
    RuleInfo('CEL306', 'eager-outside-tests', 'celery_fix.rules.eager_outside_tests', 'EagerOutsideTestsRule', True, {}, (b'ALWAYS_EAGER', b'always_eager')),
    RuleInfo('CEL308', 'unknown-task-option', 'celery_fix.rules.unknown_task_option', 'UnknownTaskOptionRule', True, {'extra-task-options': ['once', 'lock_expiry', 'unique_on', 'raise_on_duplicate', 'graceful', 'timeout']}, (b'task', b'apply_async')),
    RuleInfo('CEL401', 'unused-result', 'celery_fix.rules.unused_result', 'UnusedResultRule', True, {'result-backend': 'auto'}, (b'shared_task', b'.task')),
    RuleInfo('CEL402', 'unbounded-result-expiry', 'celery_fix.rules.unbounded_result_expiry', 'UnboundedResultExpiryRule', True, {'max-result-expires': 604800, 'result-backend': 'auto'}, (b'RESULT_EXPIRES', b'result_expires')),
    RuleInfo('CEL403', 'blocking-result-in-request', 'celery_fix.rules.blocking_result_in_request', 'BlockingResultInRequestRule', True, {}, (b'.delay', b'apply_async', b'send_task', b'.s(', b'.si(', b'celery', b'AsyncResult', b'GroupResult', b'ResultSet')),
    RuleInfo('CEL501', 'no-queue-routing', 'celery_fix.rules.no_queue_routing', 'NoQueueRoutingRule', True, {'min-tasks': 3}, (b'Celery',)),
    RuleInfo('CEL502', 'route-to-unknown-task', 'celery_fix.rules.route_to_unknown_task', 'RouteToUnknownTaskRule', True, {}, (b'ROUTES', b'task_routes')),
    RuleInfo('CEL503', 'undeclared-queue', 'celery_fix.rules.undeclared_queue', 'UndeclaredQueueRule', True, {}, (b'queue', b'ROUTES', b'task_routes', b'QUEUES')),
    RuleInfo('CEL504', 'implicit-task-name', 'celery_fix.rules.implicit_task_name', 'ImplicitTaskNameRule', False, {}, (b'shared_task', b'.task')),
    RuleInfo('CEL603', 'pickle-serializer', 'celery_fix.rules.pickle_serializer', 'PickleSerializerRule', True, {}, (b'pickle', b'python-serialize')),
    RuleInfo('CEL604', 'hard-coded-broker-credentials', 'celery_fix.rules.hard_coded_broker_credentials', 'HardCodedBrokerCredentialsRule', True, {}, (b'@',)),
    RuleInfo('CEL701', 'dispatch-in-atomic', 'celery_fix.rules.dispatch_in_atomic', 'DispatchInAtomicRule', True, {'on-commit-style': 'partial', 'atomic-functions': []}, (b'.delay', b'apply_async', b'send_task', b'.s(', b'.si(', b'celery')),
    RuleInfo('CEL702', 'dispatch-in-atomic-caller', 'celery_fix.rules.dispatch_in_atomic_caller', 'DispatchInAtomicCallerRule', True, {'on-commit-style': 'partial', 'atomic-functions': []}, (b'.delay', b'apply_async', b'send_task', b'.s(', b'.si(', b'celery')),
    RuleInfo('CEL703', 'dispatch-in-atomic-request', 'celery_fix.rules.dispatch_in_atomic_request', 'DispatchInAtomicRequestRule', True, {'on-commit-style': 'partial', 'atomic-functions': []}, (b'.delay', b'apply_async', b'send_task', b'.s(', b'.si(', b'celery')),
    RuleInfo('CEL704', 'dispatch-in-save-or-signal', 'celery_fix.rules.dispatch_in_save_or_signal', 'DispatchInSaveOrSignalRule', True, {'on-commit-style': 'partial', 'atomic-functions': []}, (b'.delay', b'apply_async', b'send_task', b'.s(', b'.si(', b'celery')),
    RuleInfo('CEL801', 'beat-entry-without-expires', 'celery_fix.rules.beat_entry_without_expires', 'BeatEntryWithoutExpiresRule', True, {'beat-scheduler': 'auto', 'beat-default-expires': 3600}, (b'BEAT_SCHEDULE', b'beat_schedule', b'add_periodic_task', b'PeriodicTask')),
    RuleInfo('CEL802', 'interval-for-time-of-day', 'celery_fix.rules.interval_for_time_of_day', 'IntervalForTimeOfDayRule', True, {}, (b'BEAT_SCHEDULE', b'beat_schedule', b'add_periodic_task')),
    RuleInfo('CEL803', 'overlapping-runs', 'celery_fix.rules.overlapping_runs', 'OverlappingRunsRule', True, {}, (b'BEAT_SCHEDULE', b'beat_schedule', b'add_periodic_task')),
    RuleInfo('CEL804', 'beat-unknown-task', 'celery_fix.rules.beat_unknown_task', 'BeatUnknownTaskRule', True, {}, (b'BEAT_SCHEDULE', b'beat_schedule', b'add_periodic_task')),
    RuleInfo('CEL805', 'undocumented-periodic-task', 'celery_fix.rules.undocumented_periodic_task', 'UndocumentedPeriodicTaskRule', True, {}, (b'shared_task', b'.task(', b'.task\n', b'.task\r', b'.task ', b'@task', b'Task)', b'Task,', b'register_task', b'BEAT_SCHEDULE', b'beat_schedule', b'add_periodic_task')),
    RuleInfo('CEL806', 'crontab-every-minute', 'celery_fix.rules.crontab_every_minute', 'CrontabEveryMinuteRule', True, {}, (b'crontab',)),
    RuleInfo('CEL901', 'task-without-logging', 'celery_fix.rules.task_without_logging', 'TaskWithoutLoggingRule', False, {'min-statements': 3}, (b'task', b'Task')),
    RuleInfo('CEL902', 'swallowed-exception', 'celery_fix.rules.swallowed_exception', 'SwallowedExceptionRule', True, {}, (b'except',)),
    RuleInfo('CEL903', 'acks-late-without-reject', 'celery_fix.rules.acks_late_without_reject', 'AcksLateWithoutRejectRule', True, {}, (b'acks_late', b'ACKS_LATE')),
    RuleInfo('CEL904', 'print-in-task', 'celery_fix.rules.print_in_task', 'PrintInTaskRule', True, {}, (b'print',)),
    RuleInfo('CEL905', 'acks-late-prefetch', 'celery_fix.rules.acks_late_prefetch', 'AcksLatePrefetchRule', True, {}, (b'acks_late', b'base=')),
)
