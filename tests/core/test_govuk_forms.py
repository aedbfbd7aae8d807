from django import forms
from django.template.loader import render_to_string

from core.forms import GovukForm


class ExampleForm(GovukForm):
    name = forms.CharField()
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect)
    areas = forms.MultipleChoiceField(
        choices=[("york", "York"), ("selby", "Selby")], widget=forms.CheckboxSelectMultiple
    )


def test_error_summary_links_to_the_first_input_of_radios_and_checkboxes():
    form = ExampleForm(data={})
    assert not form.is_valid()

    html = render_to_string("govuk/error_summary.html", {"form": form})

    assert 'href="#id_name"' in html
    assert 'href="#id_colour_0"' in html
    assert 'href="#id_areas_0"' in html
    for anchor in ("id_name", "id_colour_0", "id_areas_0"):
        assert f'id="{anchor}"' in form.as_div() or f'id="{anchor}"' in str(form)


def test_fields_with_errors_get_the_govuk_error_classes():
    form = ExampleForm(data={"colour": "red", "areas": ["york"]})
    assert not form.is_valid()

    html = str(form)

    assert "govuk-form-group--error" in html
    assert "govuk-input govuk-input--error" in html
    assert "govuk-error-message" in html


class ChoicesForm(GovukForm):
    force = forms.ChoiceField(
        choices=[
            ("", "Any force"),
            ("Police forces", [("1", "Avon & Somerset"), ("2", '<script>"x"</script>')]),
            ("3", "Other"),
        ],
        required=False,
    )
    colour = forms.ChoiceField(
        choices=[("red", "Red"), ("blue", "Blue & green")], widget=forms.RadioSelect
    )
    areas = forms.MultipleChoiceField(
        choices=[("york", "York"), ("selby", "Selby")], widget=forms.CheckboxSelectMultiple
    )


def test_a_select_writes_its_options_groups_and_the_chosen_one_with_everything_escaped():
    html = str(ChoicesForm(data={"force": "2", "colour": "red"})["force"])

    assert html == (
        '<select name="force" class="govuk-select" id="id_force">'
        '<option value="">Any force</option>'
        '<optgroup label="Police forces">'
        '<option value="1">Avon &amp; Somerset</option>'
        '<option value="2" selected>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</option>'
        "</optgroup>"
        '<option value="3">Other</option>'
        "</select>"
    )


def test_radios_and_checkboxes_write_their_inputs_checked_and_escaped():
    form = ChoicesForm(data={"colour": "blue", "areas": ["york", "selby"]})
    html = str(form)

    assert (
        '<input type="radio" name="colour" value="blue" class="govuk-radios__input" '
        'id="id_colour_1" required checked>'
    ) in html
    assert '<input type="radio" name="colour" value="red" class="govuk-radios__input" ' in html
    assert "Blue &amp; green</label>" in html
    for n, area in enumerate(["york", "selby"]):
        assert (
            f'<input type="checkbox" name="areas" value="{area}" '
            f'class="govuk-checkboxes__input" id="id_areas_{n}" checked>'
        ) in html
