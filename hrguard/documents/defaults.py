"""Default Chinese templates seeded for every company (admins edit them; edits become new versions).

The separation certificate states what Implementing Regulation Art. 24 requires (劳动合同法实施条例
第二十四条): contract term, termination date, post and years of service with this employer — and
nothing adverse about the employee.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import DocumentKind


@dataclass(frozen=True)
class DefaultTemplate:
    kind: str
    name: str
    title: str
    body: str
    addressee: str = ""
    signer_label: str = "员工（签字）"
    show_full_id: bool = False
    seal_text: str = "人事专用章"


DEFAULTS: tuple[DefaultTemplate, ...] = (
    DefaultTemplate(
        DocumentKind.SEPARATION_CERTIFICATE, "离职证明", "离职证明",
        "兹证明{{ employee_name }}（身份证号码：{{ id_number }}）自{{ hire_date }}起在{{ company_name }}"
        "工作，所在部门为{{ department }}，担任{{ position }}岗位。\n\n"
        "双方劳动合同期限为{{ contract_term }}。双方劳动关系已于{{ termination_date }}解除（终止），"
        "{{ employee_name }}在本单位的工作年限为{{ years_of_service }}。\n\n"
        "本单位将依法在十五日内为其办理档案和社会保险关系转移手续。\n\n特此证明。",
        signer_label="员工（签收）", show_full_id=True,
    ),
    DefaultTemplate(
        DocumentKind.HANDBOOK_ACK, "员工手册确认书", "员工手册确认书",
        "本人{{ employee_name }}（工号：{{ employee_no }}，部门：{{ department }}）确认：已收到并认真阅读"
        "{{ company_name }}《员工手册》（版本：{{ handbook_version }}）的全部内容，公司已就手册内容向本人"
        "作出说明，本人对其中涉及劳动报酬、工作时间、休息休假、劳动纪律、奖惩等直接涉及切身利益的规定"
        "均已知悉并理解。\n\n"
        "本人知悉上述规章制度经民主程序制定并已公示，同意遵守；如对条款有疑问，可向人力资源部咨询。",
        seal_text="",
    ),
    DefaultTemplate(
        DocumentKind.BACKGROUND_CONSENT, "背景调查及征信授权书", "背景调查及个人信用报告查询授权书",
        "本人{{ employee_name }}（身份证号码：{{ id_number }}）为{{ reason }}之目的，授权{{ company_name }}"
        "核实本人提供的学历、工作经历等信息，并同意由本人自行查询个人信用报告后提供给公司。\n\n"
        "公司仅为上述目的使用相关信息，不得用于其他用途，不得向第三方提供；目的达成后按法定期限删除。"
        "本授权依据《个人信息保护法》第十四条、第二十九条及《征信业管理条例》第十八条单独作出。\n\n"
        "本人可随时撤回本授权，撤回不影响撤回前已进行的处理活动的效力。",
        seal_text="",
    ),
    DefaultTemplate(
        DocumentKind.COMPLIANCE_COMMITMENT, "合规承诺书", "合规承诺书",
        "本人{{ employee_name }}（部门：{{ department }}，岗位：{{ position }}）郑重承诺：\n\n"
        "一、遵守国家法律法规及{{ company_name }}依法制定的规章制度，不利用职务便利谋取不正当利益；\n\n"
        "二、不收受、不索取客户、供应商及其他利益相关方的财物或其他好处；\n\n"
        "三、妥善保管公司商业秘密和客户个人信息，未经授权不复制、不传播、不向第三方提供；\n\n"
        "四、发现违规行为时，及时通过公司举报渠道如实报告。\n\n"
        "本人知悉违反上述承诺将依照公司规章制度处理。",
        seal_text="",
    ),
    DefaultTemplate(
        DocumentKind.DEBT_CLEARANCE, "债务结清声明", "债务结清声明",
        "{{ company_name }}与{{ employee_name }}（身份证号码：{{ id_number }}）双方确认：截至{{ effective_date }}，"
        "就{{ reason }}事项，{{ company_name }}应付{{ employee_name }}款项共计人民币{{ amount }}元，"
        "已全部结清。\n\n"
        "本声明仅针对上述事项，不影响{{ employee_name }}依法享有的工资、经济补偿等其他权利，"
        "亦不构成对法定权利的放弃。",
    ),
    DefaultTemplate(
        DocumentKind.LAWYER_LETTER, "致催收机构律师函", "律师函",
        "{{ law_firm }}受{{ company_name }}委托，就贵方近期多次以电话等方式联系{{ company_name }}"
        "及其员工、催收员工{{ employee_name }}个人债务一事，郑重函告如下：\n\n"
        "一、员工个人债务与公司无关，公司不是债务人或担保人，无义务配合催收，亦不会向贵方提供员工的"
        "任何个人信息（《个人信息保护法》第二十三条）；\n\n"
        "二、贵方反复拨打公司电话、向同事披露员工债务信息，已干扰公司正常经营并可能侵害员工的隐私权"
        "和名誉权；\n\n"
        "三、请贵方自收到本函之日起立即停止上述行为，并于{{ reply_days }}日内书面回复。否则，公司将向"
        "金融监管部门投诉，并保留追究法律责任的权利。\n\n"
        "员工{{ employee_name }}签字确认：本人知悉并同意公司以本函方式处理。",
        addressee="{{ agency_name }}", signer_label="员工（确认）",
    ),
    DefaultTemplate(
        DocumentKind.TERMINATION_NOTICE, "解除劳动合同通知书", "解除劳动合同通知书",
        "{{ company_name }}与您签订的劳动合同（期限：{{ contract_term }}），因{{ reason }}，"
        "公司决定自{{ effective_date }}起解除双方的劳动合同。公司已事先将解除理由通知工会。\n\n"
        "请您于{{ effective_date }}前办理工作交接。公司将依法结算工资，依法应支付经济补偿的，于您办结"
        "工作交接时支付，并在十五日内为您办理档案和社会保险关系转移手续，同时出具离职证明。\n\n"
        "如有异议，可在收到本通知之日起与人力资源部联系，或依法申请劳动争议调解、仲裁。\n\n"
        "请在下方签收。签收仅表示您已收到本通知，不代表您同意通知内容。",
        addressee="{{ employee_name }}", signer_label="员工（签收）",
    ),
    DefaultTemplate(
        DocumentKind.SUPPLEMENTARY_AGREEMENT, "劳动合同补充协议", "劳动合同补充协议",
        "甲方：{{ company_name }}\n\n乙方：{{ employee_name }}（身份证号码：{{ id_number }}）\n\n"
        "甲乙双方经平等协商，就双方签订的劳动合同（期限：{{ contract_term }}）补充约定如下：\n\n"
        "{{ items }}\n\n"
        "本协议自{{ effective_date }}起生效，是劳动合同的组成部分；本协议未约定的，仍按原劳动合同执行。"
        "本协议一式两份，以电子方式签署，双方各执一份，具有同等法律效力。",
        signer_label="乙方（签字）",
    ),
    DefaultTemplate(
        DocumentKind.HANDOVER_CONFIRMATION, "工作交接确认书", "工作交接确认书",
        "{{ employee_name }}（工号：{{ employee_no }}，部门：{{ department }}，岗位：{{ position }}）"
        "已于{{ effective_date }}完成以下工作交接：\n\n{{ items }}\n\n"
        "交接人确认所列事项真实、完整。公司确认交接完成后，将依法支付应付的经济补偿（如有）。",
        signer_label="交接人（签字）",
    ),
    DefaultTemplate(
        DocumentKind.LABOR_CONTRACT, "劳动合同", "劳动合同书",
        "甲方（用人单位）：{{ company_name }}\n\n"
        "乙方（劳动者）：{{ employee_name }}（身份证号码：{{ id_number }}）\n\n"
        "合同编号：{{ contract_no }}\n\n"
        "一、合同期限：{{ contract_type }}劳动合同，期限为{{ contract_term }}；试用期：{{ probation }}。\n\n"
        "二、工作内容和工作地点：乙方在{{ department }}担任{{ position }}岗位，工作地点为{{ work_location }}。\n\n"
        "三、劳动报酬：乙方月工资为人民币{{ wage }}元，甲方以货币形式按月足额支付。\n\n"
        "四、工作时间、休息休假、社会保险和劳动保护按国家规定及甲方依法制定的规章制度执行。\n\n"
        "五、双方约定的其他条款如下（标注为关键条款的，乙方已逐条阅读并单独确认）：\n\n"
        "{{ contract_clauses }}\n\n"
        "六、本合同以电子方式签署，双方各执一份，与纸质合同具有同等法律效力。",
        signer_label="乙方（签字）",
    ),
)
