import re

import pytest

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_1_with_every_error_declared(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"] == "3.1.0"
    operations = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) >= 14
    for path, method, operation in operations:
        declared = set(operation["responses"])
        assert {"200", "400", "404", "422", "429"} <= declared, (path, method)
        if path.startswith("/api/v1/staff/"):
            assert {"401", "403"} <= declared, (path, method)
            assert operation["security"] == [{"TokenAuth": []}]
        if method == "post":
            assert "409" in declared
            assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])


def test_docs_page_uses_only_this_sites_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert 'data-schema-url="/api/v1/openapi.json"' in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    assert "<script>" not in html  # nothing inline: the CSP allows none without a nonce
