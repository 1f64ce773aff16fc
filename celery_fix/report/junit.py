"""`--format junit`: JUnit XML, one test case per checked file, a failure per finding."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from celery_fix.report.model import parts


def render(report) -> str:
    by_file: dict[str, list] = {r.path: [] for r in report.results}
    for f in report.findings:
        by_file.setdefault(f.path, []).append(f)
    suites = ET.Element("testsuites", name="celery-fix", tests=str(len(by_file)), failures=str(len(report.findings)),
                        errors=str(len(report.errors)))
    suite = ET.SubElement(suites, "testsuite", name="celery-fix", tests=str(len(by_file)),
                          failures=str(len(report.findings)), errors=str(len(report.errors)))
    for path, findings in by_file.items():
        case = ET.SubElement(suite, "testcase", name=path, classname="celery-fix")
        for f in findings:
            short, help_text, _ = parts(f)
            failure = ET.SubElement(case, "failure", message=f"{f.code} {short}", type=f.code)
            failure.text = f"{f.path}:{f.line}:{f.column}: {f.code} {short}" + (f"\nhelp: {help_text}" if help_text else "")
    for message in report.errors:
        case = ET.SubElement(suite, "testcase", name=message.split(":", 1)[0], classname="celery-fix")
        ET.SubElement(case, "error", message=message)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
