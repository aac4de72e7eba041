"""REST endpoints for generated documents (SPEC §9, §13). Thin: validate, call the service or a
selector, serialize. The URL patterns are included under /api/v1/ by ``enforcement.urls``."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.selectors import case_for_user
from enforcement import documents
from enforcement.drf import validate
from enforcement.models import Document, DocumentKind


class DocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    created_by_name = serializers.CharField(source="created_by.display_name", read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "case", "kind", "kind_display", "version", "sha256", "size", "subject_type", "subject_id",
                  "created_by", "created_by_name", "created_at", "pdf_url"]

    def get_pdf_url(self, obj: Document) -> str:
        return f"/api/v1/documents/{obj.pk}/pdf/"


class DocumentGenerateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    # The sanction (限制消费令, 失信决定书) or disbursement (案款支付通知书) the document is about.
    subject = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class CaseDocumentList(generics.GenericAPIView):
    """GET: the case's documents, newest first. POST {"kind", "subject"}: generate the next version."""

    serializer_class = DocumentSerializer

    @extend_schema(responses=DocumentSerializer(many=True))  # a page of them, like every list
    def get(self, request, pk: int):
        case = case_for_user(user=request.user, pk=pk, for_detail=False)
        page = self.paginate_queryset(self.filter_queryset(documents.documents_of_case(case)))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=DocumentGenerateInput, responses={201: DocumentSerializer})
    def post(self, request, pk: int):
        case = case_for_user(user=request.user, pk=pk, for_detail=False)
        data = validate(DocumentGenerateInput, request.data)
        doc = documents.document_generate(case=case, kind=data["kind"], actor=request.user,
                                          subject_id=data.get("subject"))
        return Response(DocumentSerializer(doc).data, status=status.HTTP_201_CREATED)


def pdf_response(doc: Document) -> HttpResponse:
    response = HttpResponse(bytes(doc.content), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, documents.download_name(doc))
    response["Content-Length"] = str(doc.size)
    response["ETag"] = f'"{doc.sha256}"'
    response["X-Content-SHA256"] = doc.sha256
    return response


class DocumentPdf(APIView):
    """The stored PDF bytes of one version, exactly as generated (its SHA-256 in ``ETag``)."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        return pdf_response(documents.document_for_user(user=request.user, pk=pk))


urlpatterns = [
    path("cases/<int:pk>/documents/", CaseDocumentList.as_view(), name="api-case-documents"),
    path("documents/<int:pk>/pdf/", DocumentPdf.as_view(), name="api-document-pdf"),
]
