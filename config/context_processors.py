import re

from django.conf import settings


def site(request):
    """Names every template shows in its header, title and footer, and the footer's filings."""
    psb_code = re.sub(r"\D", "", settings.PORTAL_PSB_NUMBER)
    return {
        "site_name": settings.PORTAL_SITE_NAME,
        "platform_name": settings.PORTAL_PLATFORM_NAME,
        "host_organisation": settings.PORTAL_HOST_ORGANISATION or settings.PORTAL_SITE_NAME,
        "site_address": settings.PORTAL_ADDRESS,
        "site_phone": settings.PORTAL_PHONE,
        "icp_number": settings.PORTAL_ICP_NUMBER,
        "icp_url": "https://beian.miit.gov.cn/",  # the MIIT register every ICP number links to
        "psb_number": settings.PORTAL_PSB_NUMBER,
        "psb_url": (
            f"https://beian.mps.gov.cn/#/query/webSearch?code={psb_code}" if psb_code else ""
        ),
        "wechat_share": bool(settings.WECHAT_APP_ID and settings.WECHAT_APP_SECRET),
    }
