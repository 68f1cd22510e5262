"""Regression tests: a non-numeric unit parameter is a 404, not a server error."""

import pytest


@pytest.mark.parametrize("url", ["/?unit=abc", "/org/docking/?unit=abc"])
def test_non_numeric_unit_parameter_is_not_found(client, staffing_officer, url):
    # given the staffing office logged in
    client.force_login(staffing_officer)

    # when a page is asked for a unit that is not a number
    response = client.get(url)

    # then it is not found
    assert response.status_code == 404
