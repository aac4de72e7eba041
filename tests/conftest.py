from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from enforcement.models import Role

from .factories import UserFactory, court_tree


@pytest.fixture
def courts(db):
    return court_tree()


@pytest.fixture
def people(courts):
    """The demo cast (SPEC §13 demo users), built by factories."""
    ly, xg, hz, ha = courts.luoyang, courts.xigong, courts.hangzhou, courts.henan
    return SimpleNamespace(
        clerk=UserFactory(username="ly_clerk", name="李立案", court=ly, roles=[Role.FILING_CLERK]),
        bureau=UserFactory(username="ly_bureau", name="王内勤", court=ly, roles=[Role.BUREAU_CLERK]),
        judge=UserFactory(username="ly_judge", name="陈法官", court=ly, roles=[Role.POST_JUDGE]),
        judge2=UserFactory(username="ly_judge2", name="刘法官", court=ly, roles=[Role.POST_JUDGE]),
        officer=UserFactory(username="ly_officer", name="赵执行员", court=ly, roles=[Role.OFFICER]),
        finance=UserFactory(username="ly_finance", name="孙财务", court=ly, roles=[Role.FINANCE]),
        supervisor=UserFactory(username="ly_supervisor", name="周监管", court=ly, roles=[Role.SUPERVISOR]),
        head=UserFactory(username="ly_head", name="吴局长", court=ly, roles=[Role.BUREAU_HEAD]),
        xg_judge=UserFactory(username="xg_judge", name="郑法官", court=xg, roles=[Role.POST_JUDGE]),
        xg_clerk=UserFactory(username="xg_clerk", name="冯立案", court=xg, roles=[Role.FILING_CLERK]),
        hz_judge=UserFactory(username="hz_judge", name="钱法官", court=hz, roles=[Role.POST_JUDGE]),
        hz_supervisor=UserFactory(username="hz_supervisor", name="蒋监管", court=hz, roles=[Role.SUPERVISOR]),
        ha_supervisor=UserFactory(username="ha_supervisor", name="韩监管", court=ha, roles=[Role.SUPERVISOR]),
    )


@pytest.fixture
def api():
    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return client_for
