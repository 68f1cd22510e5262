"""System-wide settings applied when the core app is ready."""

from zhenjie.personnel.models import Person


def test_the_empty_choice_of_a_select_is_in_chinese():
    # given a model field with fixed choices, as every select of the forms is built
    field = Person._meta.get_field("education")
    assert field.blank and field.choices

    # when its form field offers the choices
    first = field.formfield().choices[0]

    # then the empty choice says 请选择, not Django's untranslated English
    assert first == ("", "—— 请选择 ——")
