"""celery-fix's Fixit rules, one module per rule (`fixit --rules celery_fix.rules lint PATH`)."""
