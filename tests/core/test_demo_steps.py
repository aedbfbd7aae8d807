"""Demo data: each app contributes a step of its own, found without the shell naming it."""

import pytest

from core import demo
from core.demo import demo_step, demo_steps


def test_every_apps_step_is_found(monkeypatch):
    names = [step.name for step in demo_steps()]

    assert "lines" in names


def test_steps_run_after_those_they_need(monkeypatch):
    monkeypatch.setattr(demo, "_STEPS", {})
    demo_step("b", after=("a",))(lambda *, user: 0)
    demo_step("a")(lambda *, user: 0)
    demo_step("c", after=("b",))(lambda *, user: 0)
    monkeypatch.setattr(demo, "autodiscover_modules", lambda name: None)

    assert [step.name for step in demo_steps()] == ["a", "b", "c"]


def test_steps_that_need_each_other_are_refused(monkeypatch):
    monkeypatch.setattr(demo, "_STEPS", {})
    demo_step("a", after=("b",))(lambda *, user: 0)
    demo_step("b", after=("a",))(lambda *, user: 0)
    monkeypatch.setattr(demo, "autodiscover_modules", lambda name: None)

    with pytest.raises(ValueError, match="depend on each other"):
        demo_steps()
