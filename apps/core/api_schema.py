"""drf-spectacular hooks and schema class for the published OpenAPI schema."""

import uritemplate
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers


def only_platform_api(endpoints, **kwargs):
    """Keep the platform's own endpoints; drop the DRF views Wagtail mounts for its admin's scripts."""
    kept = []
    for endpoint in endpoints:
        callback = endpoint[3]
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        module = getattr(view_class, "__module__", "") or getattr(callback, "__module__", "")
        if not module.startswith("wagtail"):
            kept.append(endpoint)
    return kept


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus the error answers every view gives and DRF leaves undocumented.

    Clients (and the API fuzzing test) rely on the documented status codes: a token without the
    scope gets 403, a missing or bad token 401, an object outside the caller's reach 404, an
    invalid parameter or body 400, a throttled caller 429. Codes a view documents itself are kept.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {}
        view = self.view
        if self.method in ("POST", "PUT", "PATCH") or self._query_parameters():
            errors["400"] = _error(_VALIDATION, "Dữ liệu gửi lên không hợp lệ.")
        if view.get_authenticators():
            errors["401"] = _error(_DETAIL, "Chưa đăng nhập, hoặc khoá ứng dụng sai hay đã bị thu hồi.")
        if not all(isinstance(p, permissions.AllowAny) for p in view.get_permissions()):
            errors["403"] = _error(_DETAIL, "Không có quyền (hoặc khoá ứng dụng thiếu phạm vi cần thiết).")
        if uritemplate.variables(self.path) or self._is_paginated():
            errors["404"] = _error(_DETAIL, _NOT_FOUND)
        if view.get_throttles():
            errors["429"] = _error(_DETAIL, "Gửi quá nhiều yêu cầu; thử lại sau.")
        return {**responses, **{code: body for code, body in errors.items() if code not in responses}}

    def _query_parameters(self) -> bool:
        return any(p.get("in") == "query" for p in self._get_parameters())

    def _is_paginated(self) -> bool:
        return self.method == "GET" and self._is_list_view() and self._get_paginator() is not None


# DRF's error bodies: {"detail": "..."}, and for validation errors the messages by field.
_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
_VALIDATION = {"type": "object", "additionalProperties": {}}
_NOT_FOUND = "Không tìm thấy, hoặc nằm ngoài phạm vi được xem."


def _error(schema: dict, description: str) -> dict:
    return {"content": {"application/json": {"schema": schema}}, "description": description}


class ApiErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# For a view whose 404 comes from a query parameter (a named organisation out of reach…).
NOT_FOUND = OpenApiResponse(ApiErrorSerializer, description=_NOT_FOUND)
