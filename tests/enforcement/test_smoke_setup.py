import pytest

from tests.factories import file_case


@pytest.mark.smoke
def test_filing_assigns_the_first_number_of_the_year(people):
    case = file_case(people.clerk)
    assert case.number.endswith("豫03执1号")
    assert case.status == "filed"
