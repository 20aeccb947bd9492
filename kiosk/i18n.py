# ruff: noqa: E501  (one line per string pair reads best as a table)
"""The kiosk's own words in Chinese and English (catalogue texts come from the catalogue).

Every string a citizen reads on a screen that is not part of the service catalogue lives
here, keyed by a dotted name. Messages are plain: what happened and what to do next.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from sync.catalog import resolve_language

__all__ = ["STRINGS", "translate", "MissingString"]


class MissingString(KeyError):
    """A screen asked for a string key that the table does not define."""


_TABLE: dict[str, tuple[str, str]] = {
    # attract
    "attract.tap_card": ("请刷身份证开始办理", "Tap your ID card to start"),
    "attract.start": ("开始办理", "Start"),
    "attract.progress": ("查询办理进度", "Check progress"),
    "attract.scan_hint": ("扫描回执二维码可直接查询进度", "Scan a receipt's QR code to check progress"),
    "attract.today": ("今日", "Today"),
    "attract.hours_unknown": ("开放时间暂未同步", "Opening hours not synchronised yet"),
    "lang.switch": ("English", "中文"),
    "large.on": ("大字", "Large text"),
    "large.off": ("标准字", "Normal text"),
    # modes
    "mode.staffed": ("民警值守中", "Officers on duty"),
    "mode.self_service": ("自助服务时段", "Self-service hours"),
    "mode.closed": ("已关闭", "Closed"),
    # navigation
    "nav.back": ("返回", "Back"),
    "nav.cancel": ("取消办理", "Cancel"),
    "nav.next": ("下一步", "Next"),
    "nav.home": ("返回首页", "Home"),
    "nav.finish": ("完成", "Done"),
    # catalogue
    "catalogue.title": ("请选择业务", "Choose a service"),
    "catalogue.needs": ("需要", "Needs"),
    "catalogue.nothing": ("当前时段没有可办理的业务", "No service can be handled now"),
    "device.idcard": ("身份证", "ID card"),
    "device.printer": ("打印回执", "receipt printer"),
    "device.scanner": ("扫码", "code scanner"),
    "catalogue.appointment": ("可预约", "Book a slot"),
    # notice
    "notice.where": ("办理地点", "Where"),
    "notice.bring": ("需带材料", "What to bring"),
    "notice.steps": ("办理步骤", "Steps"),
    "notice.fees": ("费用", "Fees"),
    "notice.time_limit": ("办理时限", "Time limit"),
    "notice.caveats": ("注意事项", "Caveats"),
    "notice.provisional": ("本须知部分内容待服务站确认", "Parts of this notice await the station's confirmation"),
    "notice.read_all": ("请阅读完整须知后继续", "Please read the whole notice to continue"),
    "notice.accept": ("我已阅读，继续办理", "I have read it, continue"),
    "notice.book": ("预约民警值守时段办理", "Book a staffed slot"),
    # identify
    "identify.title": ("身份核验", "Identification"),
    "identify.tap": ("请将身份证放在读卡区", "Place your ID card on the reader"),
    "identify.qr": ("或扫描“交管12123”身份二维码", "Or scan your 'Traffic 12123' identity QR code"),
    "identify.name": ("姓名", "Name"),
    "identify.number": ("证件号码", "ID number"),
    "identify.confirm": ("是本人，继续", "That's me, continue"),
    "identify.via_qr": ("已通过二维码核验身份", "Identified by QR code"),
    "identify.expired": ("身份证已过有效期，请到民警窗口办理", "Your ID card has expired; please go to the officers' counter"),
    "identify.read_failed": ("读卡失败，请重新放置身份证", "The card could not be read; place it on the reader again"),
    # form
    "form.title": ("填写信息", "Your details"),
    "form.field.phone": ("手机号码", "Mobile number"),
    "form.field.plate": ("号牌号码", "Plate number"),
    "form.field.vehicle_type": ("号牌种类", "Plate type"),
    "form.field.licence_file_no": ("驾驶证档案编号", "Licence file number"),
    "form.field.violation_ref": ("决定书编号", "Decision number"),
    "form.field.delivery": ("领取方式", "How to receive it"),
    "form.field.postal_address": ("邮寄地址", "Postal address"),
    "form.delivery.pickup": ("到服务站领取", "Pick up at the station"),
    "form.delivery.mail": ("邮寄到身份证地址", "Mail to the address on my ID card"),
    "form.address_from_card": ("将邮寄到身份证登记地址", "Will be mailed to the address on your ID card"),
    "form.mail_needs_card": ("邮寄须刷身份证以读取地址，请选择到站领取", "Mailing needs the address from your ID card; choose pick up"),
    "form.clear": ("清除", "Clear"),
    "form.delete": ("删除", "Delete"),
    "form.choose": ("请选择", "Choose"),
    "form.required": ("请填写此项", "Please fill this in"),
    # confirm
    "confirm.title": ("请核对申请信息", "Check your application"),
    "confirm.service": ("业务", "Service"),
    "confirm.applicant": ("申请人", "Applicant"),
    "confirm.submit": ("确认提交", "Submit"),
    "confirm.busy": ("正在提交，请稍候…", "Submitting, please wait…"),
    # result
    "result.title": ("申请已受理", "Application received"),
    "result.tracking": ("受理编号", "Tracking number"),
    "result.printed": ("请取走打印的回执", "Please take your printed receipt"),
    "result.not_printed": ("回执未能打印，请记下受理编号", "The receipt could not be printed; please note the tracking number"),
    "result.next": ("后续步骤", "Next steps"),
    "result.qr": ("扫描回执二维码可随时查询进度", "Scan the receipt's QR code to check progress at any time"),
    "result.failed": ("申请未能保存，请到民警窗口办理", "The application could not be saved; please go to the officers' counter"),
    # progress
    "progress.title": ("办理进度查询", "Check progress"),
    "progress.how": ("刷身份证，或扫描回执上的二维码", "Tap your ID card or scan the QR code on your receipt"),
    "progress.enter": ("或输入受理编号", "Or enter the tracking number"),
    "progress.lookup": ("查询", "Look up"),
    "progress.busy": ("正在查询，请稍候…", "Looking it up, please wait…"),
    "progress.offline": ("暂时无法查询进度（网络不可用），请稍后再试或拨打服务站电话", "Progress can't be checked right now (no network); please try again later"),
    "progress.none": ("没有找到申请记录", "No application found"),
    "progress.refused": ("查询未成功", "The lookup did not succeed"),
    "status.submitted": ("已提交，待受理", "Submitted, waiting to be accepted"),
    "status.accepted": ("已受理", "Accepted"),
    "status.in_progress": ("办理中", "In progress"),
    "status.ready": ("已办结，待领取", "Ready to pick up"),
    "status.ready_mailed": ("已办结，已邮寄", "Ready and mailed"),
    "status.done": ("已完成", "Done"),
    "status.rejected": ("未通过", "Rejected"),
    "status.reason": ("原因", "Reason"),
    # appointment
    "appointment.title": ("预约民警值守时段", "Book a staffed slot"),
    "appointment.why": ("此业务须民警办理，当前为自助或关闭时段", "Officers handle this service, and none are on duty now"),
    "appointment.next_staffed": ("下次开放", "Next opening"),
    "appointment.unavailable": ("暂时无法预约，请在民警值守时段前来", "Booking is not possible right now; please come during staffed hours"),
    "appointment.book": ("预约", "Book"),
    "appointment.booked": ("预约成功", "Booked"),
    # closed / out of service
    "closed.title": ("服务站已关闭", "The station is closed"),
    "closed.next": ("下次开放", "Opens next"),
    "closed.nearest": ("附近正在开放的服务站", "Stations open now nearby"),
    "closed.none_open": ("附近暂无开放的服务站", "No nearby station is open now"),
    "closed.unknown": ("开放时间未知", "Opening time unknown"),
    "closed.until": ("开放至", "open until"),
    "oos.title": ("自助机暂停服务", "This kiosk is out of service"),
    "oos.devices": ("设备故障", "Device fault"),
    "oos.locked": ("技术人员维护中", "A technician is working on this kiosk"),
    "oos.alternatives": ("您可以：到民警窗口办理；使用“交管12123”App；或前往附近服务站", "You can: go to the officers' counter; use the 'Traffic 12123' app; or visit a nearby station"),
    # idle
    "idle.warning": ("长时间无操作，{seconds}秒后将结束办理", "No activity: this visit ends in {seconds} s"),
    "idle.stay": ("继续办理", "Continue"),
    # technician
    "tech.title": ("技术人员诊断", "Technician diagnostics"),
    "tech.pin": ("请输入维护密码", "Enter the technician PIN"),
    "tech.wrong_pin": ("密码错误", "Wrong PIN"),
    "tech.test_print": ("测试打印", "Test print"),
    "tech.test_card": ("测试读卡", "Test card read"),
    "tech.lock": ("暂停服务", "Lock kiosk"),
    "tech.unlock": ("恢复服务", "Unlock kiosk"),
    "tech.exit": ("退出", "Exit"),
    "tech.devices": ("设备状态", "Devices"),
    "tech.outbox": ("待发送事件", "Outbox depth"),
    "tech.versions": ("版本", "Versions"),
}

STRINGS: Mapping[str, tuple[str, str]] = MappingProxyType(_TABLE)


def translate(key: str, lang: str, **values: object) -> str:
    """Return the string ``key`` in ``lang`` (zh unless English), with ``values`` filled in."""
    try:
        zh, en = STRINGS[key]
    except KeyError:
        raise MissingString(f"no kiosk string {key!r}; add it to kiosk/i18n.py") from None
    text = en if resolve_language(lang) == "en" else zh
    return text.format(**values) if values else text
