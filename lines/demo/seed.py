"""Writing the demo lines of the plan through the lines services (every rule and audit
applies), as the demo intelligence officer: `manage.py seed_demo`'s step for this app."""

from django.db import transaction

from core.demo import demo_step
from reference.models import CommandArea, Force

from ..models import IntelligenceEntry, Line
from ..services import intelligence_entry_add, line_create, line_number_attribute
from .plan import DemoPlan, PlannedLine, demo_lines_plan


@demo_step("lines")
@transaction.atomic
def seed_demo_lines(*, user) -> int:
    """Creates the demo lines that do not exist yet, with their numbers, and the
    intelligence missing on them, recorded (and audited) as `user`; returns how many lines
    and intelligence entries it created.

    Lines are matched on their reference (a line already there keeps its fields and
    numbers), intelligence on its line and text.
    """
    plan = demo_lines_plan()
    forces = {force.name: force for force in Force.objects.all()}
    areas = {area.name: area for area in CommandArea.objects.all()}
    existing = {
        line.reference: line
        for line in Line.objects.filter(reference__any=[line.reference for line in plan.lines])
    }
    known = set(
        IntelligenceEntry.objects.filter(line__in=existing.values()).values_list("line_id", "text")
    )
    created = 0
    for planned in plan.lines:
        line = existing.get(planned.reference) or _line_create(user, plan, planned, forces, areas)
        created += planned.reference not in existing
        for intelligence in planned.intelligence:
            if (line.pk, intelligence.text) in known:
                continue
            entry = intelligence_entry_add(
                user=user,
                line=line,
                text=intelligence.text,
                source_evaluation=intelligence.source_evaluation,
                assessment=intelligence.assessment,
                handling_code=intelligence.handling_code,
                handling_conditions=intelligence.handling_conditions,
                intelligence_date=intelligence.intelligence_date,
                source_reference=intelligence.source_reference,
            )
            # Recorded while the line was being worked, not on the day of seeding.
            type(entry).objects.filter(pk=entry.pk).update(recorded_at=intelligence.recorded_at)
            created += 1
    return created


def _line_create(user, plan: DemoPlan, planned: PlannedLine, forces, areas) -> Line:
    """A planned line and the numbers it used."""
    line = line_create(
        user=user,
        reference=planned.reference,
        name=planned.name,
        origin_force=forces[planned.origin_force],
        command_areas=[areas[name] for name in planned.command_areas],
        first_identified=planned.first_identified,
        closed_on=planned.closed_on,
        closure_type=planned.closure_type,
        risk_level=planned.risk_level,
        summary=planned.summary,
        next_review_on=planned.next_review_on,
    )
    for attribution in planned.attributions:
        line_number_attribute(
            user=user,
            line=line,
            number=plan.numbers[attribution.number],
            attributed_from=attribution.attributed_from,
            attributed_to=attribution.attributed_to,
        )
    return line
