"""The error answers every endpoint declares in the OpenAPI schema."""

from .schemas import Error, ValidationErrors

READ_ERRORS = {
    400: Error,
    404: Error,
    422: ValidationErrors,
    429: Error,
}
STAFF_ERRORS = {**READ_ERRORS, 401: Error, 403: Error}
WRITE_ERRORS = {**STAFF_ERRORS, 409: Error}
