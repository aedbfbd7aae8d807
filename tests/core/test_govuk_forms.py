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
