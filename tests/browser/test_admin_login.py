import pytest

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_superuser_signs_in_to_admin(page, live_server, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "s3cret-pass")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "s3cret-pass")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("#site-name").is_visible()
    assert page.get_by_role("link", name="Editions").is_visible()
