from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from rest_framework import mixins, serializers
from rest_framework.response import Response

from ipex.core.api import StrictModelSerializer, VisibleViewSet
from ipex.core.errors import DomainError
from ipex.core.views import VisibleDetailView, VisibleListView, apply_domain_error
from tests.memos.models import Memo
from tests.memos.services import memo_update


class MemoSerializer(StrictModelSerializer):
    owner_org = serializers.CharField(source="owner_org.code", read_only=True)

    class Meta:
        model = Memo
        fields = ["uuid", "title", "body", "owner_org", "distribution", "version"]
        read_only_fields = ["uuid", "owner_org", "distribution", "version"]


class MemoViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    serializer_class = MemoSerializer
    queryset = Memo.objects.select_related("owner_org")

    def partial_update(self, request, uuid=None):
        memo = self.get_object()
        data = MemoSerializer(memo, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        memo_update(actor=self.actor, memo=memo, **data.validated_data)
        return Response(MemoSerializer(memo).data)


class MemoListView(VisibleListView):
    model = Memo
    template_name = "memos/list.html"


class MemoDetailView(VisibleDetailView):
    model = Memo
    template_name = "memos/detail.html"


class MemoForm(forms.Form):
    title = forms.CharField(max_length=200)


def memo_edit(request, uuid):
    memo = get_object_or_404(Memo.objects.visible_to(request.user), uuid=uuid)
    form = MemoForm(request.POST or None, initial={"title": memo.title})
    if request.method == "POST" and form.is_valid():
        try:
            memo_update(actor=request.user, memo=memo, title=form.cleaned_data["title"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("memo-detail", uuid=memo.uuid)
    status = 400 if form.errors else 200
    return render(
        request, "directory/form.html", {"form": form, "title": "Edit memo"}, status=status
    )
