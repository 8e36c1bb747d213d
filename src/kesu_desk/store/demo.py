"""Demo data: a busy complaint desk in Chinese, English and Spanish, generated in bulk.

A million cases must load in under a minute, so no case passes through Python one at a time.
Python prepares small tables (days with their working-day offsets, complaint texts with their
search tokens, customer names, status paths with their timelines, the demo users) and the
database builds every case, customer, timeline event, proposal, approval, survey and search row
with ``INSERT … SELECT`` over a generated series of ids. Each case's choices are hashes of its
id, so the statements that write its events, proposals and search row agree with the one that
wrote the case. The same SQL runs on SQLite and PostgreSQL; only a few functions differ.

On an SQLite file the search index is built at the same time on a second connection, in a
thread and a scratch file of its own, and copied in before the commit (see SearchBuild): one
SQLite database has one writer, but the machine has more than one core. The scratch file goes
when the demo ends, fails or is stopped; one left by a killed demo goes with the next demo.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import random
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kesu_desk.domain.errors import DeskError
from kesu_desk.domain.vocabulary import (
    DEFAULT_DEPARTMENTS,
    MONEY_REMEDIES,
    Action,
    Closure,
    Fishbone,
    ProposalStatus,
    Remedy,
    Role,
    Status,
    Validity,
)
from kesu_desk.store.search import index_text

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from kesu_desk.services.desk import Desk

log = logging.getLogger(__name__)

# Cases per INSERT … SELECT: big enough that statement overhead vanishes, small enough that
# progress moves and a statement's temporary state stays small.
CHUNK = 100_000
PG_CHUNK = 20_000
# The most cases a demo makes: some ten minutes and 25 GB on SQLite; the days it spreads them
# over (at most 9,000 a day) stay well inside the calendar.
MAX_CASES = 10_000_000


@dataclass(frozen=True)
class DemoReport:
    cases: int
    customers: int
    events: int
    seconds: float


# -- what the complaints say ---------------------------------------------------------------------

LANGS = ("zh", "en", "es")
# Of every 100 cases: mostly Chinese, some English and Spanish.
LANG_SHARE = {"zh": 85, "en": 8, "es": 7}

# key: (中文, English, español, model prefix, price in yuan)
ITEMS: dict[str, tuple[str, str, str, str, int]] = {
    "rice_cooker": ("电饭煲", "rice cooker", "arrocera", "RC", 399),
    "kettle": ("电热水壶", "electric kettle", "hervidor eléctrico", "KT", 129),
    "washer": ("洗衣机", "washing machine", "lavadora", "WM", 2899),
    "fridge": ("冰箱", "refrigerator", "frigorífico", "FR", 3999),
    "aircon": ("空调", "air conditioner", "aire acondicionado", "AC", 3299),
    "purifier": ("空气净化器", "air purifier", "purificador de aire", "AP", 1299),
    "laptop": ("笔记本电脑", "laptop", "portátil", "NB", 5999),
    "earbuds": ("蓝牙耳机", "wireless earbuds", "auriculares inalámbricos", "EB", 499),
    "vacuum": ("吸尘器", "vacuum cleaner", "aspiradora", "VC", 1599),
    "heater": ("热水器", "water heater", "calentador de agua", "WH", 1899),
    "dumplings": ("速冻水饺", "frozen dumplings", "empanadillas congeladas", "FD", 39),
    "mooncakes": ("月饼礼盒", "mooncake gift box", "caja de pasteles de luna", "MC", 268),
    "yogurt": ("酸奶", "yogurt", "yogur", "YG", 15),
}
APPLIANCES = ("rice_cooker", "kettle", "washer", "fridge", "aircon", "purifier", "laptop",
              "earbuds", "vacuum", "heater")
FOODS = ("dumplings", "mooncakes", "yogurt")
BRAND = {"zh": "禾风", "en": "Hefeng", "es": "Hefeng"}


@dataclass(frozen=True)
class Category:
    code: str
    department: str
    weight: int  # share of complaints, per mille
    items: tuple[str, ...]  # product kinds it is about; () for the service itself
    remedies: tuple[Remedy, ...]
    fishbone: tuple[Fishbone, ...]
    severities: tuple[int, int]  # lowest and highest level
    batch: bool  # a production batch is recorded
    texts: dict[str, tuple[str, ...]]
    # Safety, injury: critical, and often urgent from the first minute.
    danger: dict[str, tuple[str, ...]] = field(default_factory=dict)


R, F = Remedy, Fishbone
CATEGORIES: tuple[Category, ...] = (
    Category(
        "quality_defect", "QA", 170, APPLIANCES,
        (R.EXCHANGE, R.RETURN, R.REPAIR, R.REFUND), (F.MATERIAL, F.MACHINE, F.METHOD), (1, 2), True,
        {
            "zh": (
                "新买的{item}用了不到{n}天就无法开机，按任何键都没有反应。",
                "{item}内胆涂层大面积脱落，担心对健康有影响。",
                "{item}工作时有很大的异响，外壳还有一道裂缝。",
                "{item}底部漏水，把厨房地板都泡坏了。",
                "{item}插电后闻到一股焦糊味，不敢再用。",
                "收到的{item}按键失灵，屏幕显示乱码。",
                "{item}用了{n}个月就出现同样的故障，质量太差。",
            ),
            "en": (
                "The {item} stopped working after {n} days and will not switch on at all.",
                "My {item} leaks water from the bottom and has damaged the floor.",
                "There is a loud rattling noise from the {item} and a crack in the casing.",
            ),
            "es": (
                "Mi {item} dejó de funcionar a los {n} días y ya no enciende.",
                "Mi {item} pierde agua por abajo y ha estropeado el suelo.",
                "Mi {item} hace un ruido muy fuerte y la carcasa tiene una grieta.",
            ),
        },
        danger={
            "zh": (
                "{item}使用时突然冒烟起火，孩子差点被烫伤，太危险了！",
                "{item}外壳漏电，家人摸到被电了一下。",
            ),
            "en": ("The {item} started smoking and caught fire while in use. This is dangerous!",),
            "es": ("Mi {item} empezó a echar humo y se incendió mientras lo usaba. ¡Es peligroso!",),
        },
    ),
    Category(
        "food_quality", "QA", 60, FOODS,
        (R.EXCHANGE, R.REFUND, R.COMPENSATION), (F.MATERIAL, F.METHOD, F.PEOPLE), (1, 2), True,
        {
            "zh": (
                "{item}里吃出了一根头发，非常恶心。",
                "{item}还没到保质期就已经变质发酸了。",
                "买的{item}包装漏气，里面已经发霉。",
                "{item}没有煮熟，中间还是生的。",
            ),
            "en": (
                "I found a hair in the {item}. Disgusting.",
                "The {item} had gone off well before the best-before date.",
            ),
            "es": (
                "Encontré un pelo en mi pedido de {item}.",
                "Mi pedido de {item} estaba en mal estado antes de la fecha de caducidad.",
            ),
        },
        danger={
            "zh": ("{item}里有一小块塑料异物，孩子差点咽下去！",),
            "en": ("There was a piece of plastic in the {item}; my child nearly swallowed it!",),
            "es": ("Había un trozo de plástico en mi pedido de {item}; mi hijo casi se lo traga.",),
        },
    ),
    Category(
        "delivery_late", "LOG", 90, APPLIANCES + FOODS,
        (R.APOLOGY, R.DISCOUNT, R.COMPENSATION), (F.METHOD, F.ENVIRONMENT), (0, 1), False,
        {
            "zh": (
                "订单显示{n}天前已发货，到现在还没收到{item}。",
                "承诺次日达的{item}拖了一个星期才送到。",
                "快递员没打电话就把{item}放在门口，等我回家已经不见了。",
                "物流信息{n}天没有更新，{item}不知道在哪里。",
            ),
            "en": (
                "My {item} was supposed to arrive in two days; it took {n} days.",
                "Tracking has not moved for {n} days and my {item} is still not here.",
            ),
            "es": (
                "Mi {item} tenía que llegar en dos días y tardó {n} días.",
                "El seguimiento no se mueve desde hace {n} días y mi {item} no llega.",
            ),
        },
    ),
    Category(
        "transit_damage", "LOG", 60, APPLIANCES,
        (R.EXCHANGE, R.RETURN, R.COMPENSATION), (F.METHOD, F.PEOPLE), (1, 2), False,
        {
            "zh": (
                "收到时外箱破损严重，{item}外壳被压变形。",
                "{item}送到时屏幕已经碎了，快递员还不让当面验货。",
                "{item}包装里全是碎片，明显是运输途中摔坏的。",
            ),
            "en": (
                "The box arrived crushed and the {item} inside was dented.",
                "My {item} arrived with a broken screen.",
            ),
            "es": (
                "La caja llegó aplastada y mi {item} venía con golpes.",
                "Mi {item} llegó con la pantalla rota.",
            ),
        },
    ),
    Category(
        "wrong_or_missing_item", "LOG", 50, APPLIANCES + FOODS,
        (R.EXCHANGE, R.REFUND), (F.PEOPLE, F.METHOD), (0, 1), False,
        {
            "zh": (
                "我订的是白色{item}，收到的却是黑色的。",
                "{item}包装里少了电源线和说明书。",
                "订了{n}件{item}，只收到一件。",
            ),
            "en": (
                "I ordered a white {item} but received a black one.",
                "The power cable and manual were missing from the {item} box.",
            ),
            "es": (
                "Pedí {item} en blanco y me llegó en negro.",
                "Faltaban el cable y el manual en la caja de mi {item}.",
            ),
        },
    ),
    Category(
        "repair_service", "AFS", 70, APPLIANCES,
        (R.REPAIR, R.REFUND, R.COMPENSATION), (F.PEOPLE, F.METHOD), (1, 2), False,
        {
            "zh": (
                "{item}送修{n}次了还是同样的故障，维修质量太差。",
                "维修师傅上门修完{item}第二天又坏了，还收了上门费。",
                "{item}保修期内维修要等{n}周，太慢了。",
            ),
            "en": ("My {item} has been repaired {n} times and the same fault keeps coming back.",),
            "es": ("Han reparado mi {item} {n} veces y sigue con la misma avería.",),
        },
    ),
    Category(
        "installation_support", "AFS", 40, ("washer", "fridge", "aircon", "heater"),
        (R.REPAIR, R.APOLOGY, R.DISCOUNT), (F.PEOPLE, F.METHOD), (0, 2), False,
        {
            "zh": (
                "约好上午安装{item}，师傅下午才来，装完还漏水。",
                "{item}安装不规范，外机支架松动，很不安全。",
                "安装{item}的师傅把墙面弄脏了也不清理。",
            ),
            "en": ("The technician came hours late to install the {item} and left it leaking.",),
            "es": ("El técnico llegó tarde a instalar mi {item} y lo dejó goteando.",),
        },
    ),
    Category(
        "spare_parts", "AFS", 30, APPLIANCES,
        (R.REPAIR, R.DISCOUNT), (F.MATERIAL, F.METHOD), (0, 1), False,
        {
            "zh": (
                "{item}的配件等了{n}周还没到货。",
                "保修期内更换{item}配件却被要求付费。",
            ),
            "en": (
                "I have been waiting {n} weeks for a spare part for my {item}.",
                "I was charged for a spare part for my {item} although it is under warranty.",
            ),
            "es": ("Llevo {n} semanas esperando un repuesto para mi {item}.",),
        },
    ),
    Category(
        "staff_attitude", "CS", 80, (),
        (R.APOLOGY, R.COMPENSATION), (F.PEOPLE,), (0, 2), False,
        {
            "zh": (
                "客服人员态度恶劣，说话很不耐烦，还挂我电话。",
                "门店店员对顾客爱答不理，问了三遍都没人回应。",
                "售后人员推卸责任，说这不归他们管。",
                "客服说话阴阳怪气，服务态度很差。",
            ),
            "en": (
                "The service agent was rude and hung up on me.",
                "Shop staff ignored me and would not answer my questions.",
            ),
            "es": (
                "La persona de atención al cliente fue muy maleducada y me colgó.",
                "El personal de la tienda me ignoró por completo.",
            ),
        },
    ),
    Category(
        "waiting_time", "CS", 50, (),
        (R.APOLOGY,), (F.METHOD, F.PEOPLE), (0, 1), False,
        {
            "zh": (
                "客服热线打了{n}次，每次都要排队四十分钟以上。",
                "在门店排了一个多小时才办完退货手续。",
            ),
            "en": ("I waited on hold for over forty minutes, {n} times.",),
            "es": ("He esperado más de cuarenta minutos al teléfono {n} veces.",),
        },
    ),
    Category(
        "procedure", "CS", 40, (),
        (R.APOLOGY,), (F.METHOD,), (0, 1), False,
        {
            "zh": (
                "退货手续太复杂，要填{n}张表还要自己寄回。",
                "投诉之后一直没人回复，也不知道处理进度。",
            ),
            "en": (
                "The return procedure is far too complicated.",
                "Nobody has answered my complaint and I have no idea of its status.",
            ),
            "es": (
                "El proceso de devolución es demasiado complicado.",
                "Nadie ha respondido a mi reclamación.",
            ),
        },
    ),
    Category(
        "price", "SALES", 50, APPLIANCES,
        (R.DISCOUNT, R.REFUND), (F.METHOD,), (0, 1), False,
        {
            "zh": (
                "刚买的{item}第二天就降价{n}00元，要求补差价。",
                "{item}活动价和结账价不一致，多收了钱。",
            ),
            "en": ("The price of the {item} dropped a day after I bought it.",),
            "es": ("Un día después de comprar mi {item} bajó de precio.",),
        },
    ),
    Category(
        "not_as_described", "SALES", 50, APPLIANCES,
        (R.RETURN, R.REFUND, R.DISCOUNT), (F.METHOD, F.MATERIAL), (0, 2), False,
        {
            "zh": (
                "宣传页说{item}有静音功能，实际噪音非常大。",
                "{item}实物和网页描述不符，容量小了很多。",
            ),
            "en": ("The {item} is nothing like the description on the website.",),
            "es": ("Mi {item} no se parece en nada a la descripción de la web.",),
        },
    ),
    Category(
        "billing", "FIN", 40, APPLIANCES + FOODS,
        (R.REFUND, R.APOLOGY), (F.METHOD, F.PEOPLE), (0, 1), False,
        {
            "zh": (
                "同一笔{item}订单被扣了两次款。",
                "{item}的发票抬头开错了，申请重开一直没有处理。",
            ),
            "en": (
                "I was charged twice for the same {item} order.",
                "The invoice for my {item} has the wrong company name.",
            ),
            "es": (
                "Me cobraron dos veces el mismo pedido de {item}.",
                "La factura de mi {item} tiene mal los datos.",
            ),
        },
    ),
    Category(
        "refund_missing", "FIN", 60, APPLIANCES + FOODS,
        (R.REFUND,), (F.METHOD,), (1, 2), False,
        {
            "zh": (
                "{item}退货已经{n}周了，退款还没到账。",
                "客服说退款三个工作日到账，现在已经过去{n}天。",
            ),
            "en": ("I returned the {item} {n} weeks ago and still have not been refunded.",),
            "es": ("Devolví mi {item} hace {n} semanas y aún no me han devuelto el dinero.",),
        },
    ),
    Category(
        "premises", "FAC", 25, (),
        (R.APOLOGY,), (F.ENVIRONMENT,), (0, 1), False,
        {
            "zh": (
                "服务中心停车场没有指示牌，找了半天。",
                "营业厅空调坏了，里面闷热得待不住。",
                "门店没有热水，冬天洗手太冷。",
            ),
            "en": ("The car park at the service centre has no signs at all.",),
            "es": ("El aparcamiento del centro de servicio no tiene ninguna señal.",),
        },
        danger={
            "zh": ("门店门口的台阶破损，我母亲摔倒受伤了。",),
            "en": ("The broken step at the shop entrance made my mother fall and hurt herself.",),
            "es": ("El escalón roto de la entrada hizo que mi madre se cayera y se lesionara.",),
        },
    ),
    Category(
        "cleanliness", "FAC", 20, (),
        (R.APOLOGY,), (F.ENVIRONMENT, F.PEOPLE), (0, 1), False,
        {
            "zh": (
                "门店卫生间很脏，没有纸也没有洗手液。",
                "展示区的样机上全是灰，桌面也很油腻。",
            ),
            "en": ("The customer toilets were filthy.",),
            "es": ("Los aseos de la tienda estaban muy sucios.",),
        },
    ),
    Category(
        "noise", "FAC", 15, (),
        (R.APOLOGY,), (F.ENVIRONMENT,), (0, 1), False,
        {
            "zh": (
                "服务中心装修噪音太大，根本听不清工作人员说话。",
                "隔壁仓库晚上十一点还在装卸货，吵得睡不着。",
            ),
            "en": ("Building work at the service centre was so loud I could not hear the staff.",),
            "es": ("Las obras del centro de servicio hacían tanto ruido que no oía al personal.",),
        },
    ),
    Category(
        "other", "CS", 20, (),
        (R.APOLOGY,), (F.METHOD,), (0, 1), False,
        {
            "zh": ("会员积分莫名其妙被清零了。", "收到大量营销短信，退订也没用。"),
            "en": ("My loyalty points disappeared without explanation.",),
            "es": ("Mis puntos de fidelidad desaparecieron sin explicación.",),
        },
    ),
)

OPENERS = {"zh": ("", "", "你好，", "我要投诉，", "麻烦处理一下，"), "en": ("",), "es": ("",)}
CLOSERS = {
    "zh": ("", "", "请尽快处理。", "希望给个说法。", "非常失望！"),
    "en": ("", " Please sort this out.", " Very disappointed."),
    "es": ("", " Espero una solución.", " Estoy muy decepcionado."),
}
REQUESTS: dict[Remedy, dict[str, tuple[str, ...]]] = {
    R.RETURN: {"zh": ("要求退货。", "申请无理由退货。"), "en": ("I want to return it.",),
               "es": ("Quiero devolverlo.",)},
    R.EXCHANGE: {"zh": ("要求换一个新的。", "请给我换货。"), "en": ("Please send me a replacement.",),
                 "es": ("Quiero que me lo cambien.",)},
    R.REPAIR: {"zh": ("请尽快安排上门维修。",), "en": ("Please arrange a repair.",),
               "es": ("Necesito que lo reparen.",)},
    R.DISCOUNT: {"zh": ("希望给予适当折扣。", "要求补差价。"), "en": ("I expect a discount.",),
                 "es": ("Espero un descuento.",)},
    R.COMPENSATION: {"zh": ("要求赔偿损失。",), "en": ("I want compensation.",),
                     "es": ("Quiero una indemnización.",)},
    R.REFUND: {"zh": ("要求全额退款。", "尽快把钱退给我。"), "en": ("I want a full refund.",),
               "es": ("Quiero el reembolso completo.",)},
    R.APOLOGY: {"zh": ("希望给个合理的解释并道歉。",), "en": ("I want an explanation and an apology.",),
                "es": ("Quiero una explicación y una disculpa.",)},
}
PROPOSALS: dict[Remedy, dict[str, str]] = {
    R.RETURN: {"zh": "同意退货，上门取件后退回货款。", "en": "Accept the return and collect the item.",
               "es": "Aceptar la devolución y recoger el artículo."},
    R.EXCHANGE: {"zh": "为客户更换同型号新品。", "en": "Replace it with a new unit of the same model.",
                 "es": "Sustituirlo por una unidad nueva del mismo modelo."},
    R.REPAIR: {"zh": "安排技师免费上门维修。", "en": "Send a technician to repair it free of charge.",
               "es": "Enviar un técnico para repararlo sin coste."},
    R.DISCOUNT: {"zh": "给予折价补偿。", "en": "Offer a discount.", "es": "Ofrecer un descuento."},
    R.COMPENSATION: {"zh": "按规定给予赔偿。", "en": "Pay compensation as the rules provide.",
                     "es": "Pagar una indemnización según las normas."},
    R.REFUND: {"zh": "原路全额退款。", "en": "Refund in full to the original payment method.",
               "es": "Reembolso completo al medio de pago original."},
    R.APOLOGY: {"zh": "电话致歉并说明原因。", "en": "Call the customer to apologise and explain.",
                "es": "Llamar al cliente para disculparse y explicar."},
}
IMPLEMENTED: dict[Remedy, dict[str, str]] = {
    R.RETURN: {"zh": "已上门取件，货款已退回。", "en": "Item collected and the money returned.",
               "es": "Artículo recogido y dinero devuelto."},
    R.EXCHANGE: {"zh": "新品已送达，旧件已回收。", "en": "New unit delivered, old one collected.",
                 "es": "Unidad nueva entregada y la antigua recogida."},
    R.REPAIR: {"zh": "技师已上门修复，试机正常。", "en": "Repaired on site and tested.",
               "es": "Reparado en el domicilio y probado."},
    R.DISCOUNT: {"zh": "折价款已返还。", "en": "Discount paid back.", "es": "Descuento abonado."},
    R.COMPENSATION: {"zh": "赔偿款已支付。", "en": "Compensation paid.", "es": "Indemnización pagada."},
    R.REFUND: {"zh": "退款已原路退回。", "en": "Refund sent.", "es": "Reembolso enviado."},
    R.APOLOGY: {"zh": "已电话致歉并解释原因。", "en": "Apologised by phone and explained.",
                "es": "Disculpa y explicación por teléfono."},
}
# department → (what, why, where, who, how, how much) per language
CAUSES: dict[str, dict[str, tuple[str, str, str, str, str, str]]] = {
    "QA": {
        "zh": ("产品故障", "供应商来料批次不良，出厂检验漏检", "总装线", "来料检验", "抽检比例不足", "同批次约2%"),
        "en": ("product fault", "bad supplier lot missed by outgoing inspection", "assembly line",
               "incoming inspection", "sampling rate too low", "about 2% of the lot"),
        "es": ("fallo del producto", "lote defectuoso del proveedor no detectado", "línea de montaje",
               "control de entrada", "muestreo insuficiente", "un 2 % del lote"),
    },
    "LOG": {
        "zh": ("配送问题", "承运商高峰期运力不足，分拣时野蛮装卸", "分拨中心", "承运商", "未按规范码放", "单票"),
        "en": ("delivery problem", "carrier short of capacity at peak, rough handling",
               "sorting centre", "carrier", "not stacked as required", "one parcel"),
        "es": ("problema de entrega", "transportista sin capacidad en hora punta",
               "centro de clasificación", "transportista", "carga mal apilada", "un envío"),
    },
    "AFS": {
        "zh": ("维修服务不到位", "技师未按流程检测，备件库存不足", "售后网点", "维修技师", "跳过故障检测步骤", "一次上门"),
        "en": ("poor repair service", "technician skipped the test procedure; parts out of stock",
               "service point", "technician", "test step skipped", "one visit"),
        "es": ("servicio técnico deficiente", "el técnico no siguió el protocolo; sin repuestos",
               "punto de servicio", "técnico", "omitió la prueba", "una visita"),
    },
    "CS": {
        "zh": ("服务态度与响应", "高峰期人手不足，话术培训不到位", "客服中心", "一线客服", "未按规范应答", "单次通话"),
        "en": ("service and response", "understaffed at peak, scripts not trained",
               "contact centre", "front-line agent", "did not follow the script", "one call"),
        "es": ("atención y respuesta", "falta de personal en hora punta, sin formación",
               "centro de atención", "agente", "no siguió el protocolo", "una llamada"),
    },
    "SALES": {
        "zh": ("价格与宣传", "促销规则说明不清，详情页参数有误", "线上商城", "运营专员", "页面未复核", "单个商品"),
        "en": ("price and advertising", "promotion rules unclear, wrong figures on the product page",
               "online shop", "shop editor", "page not reviewed", "one product"),
        "es": ("precio y publicidad", "reglas de la promoción confusas, datos erróneos en la web",
               "tienda online", "editor de la tienda", "página sin revisar", "un producto"),
    },
    "FIN": {
        "zh": ("账务处理", "支付接口重复回调，退款审核积压", "财务结算", "结算专员", "对账不及时", "单笔订单"),
        "en": ("accounting", "payment gateway called back twice; refund approvals backlogged",
               "settlement", "settlement clerk", "late reconciliation", "one order"),
        "es": ("contabilidad", "la pasarela de pago duplicó el cobro; reembolsos atrasados",
               "liquidación", "administrativo", "conciliación tardía", "un pedido"),
    },
    "FAC": {
        "zh": ("场地设施", "设施巡检不到位，保洁排班不足", "服务中心", "行政后勤", "巡检记录缺失", "一处设施"),
        "en": ("premises", "facility checks missed, cleaning rota too thin", "service centre",
               "facilities team", "no inspection record", "one facility"),
        "es": ("instalaciones", "revisiones no realizadas, limpieza insuficiente",
               "centro de servicio", "equipo de instalaciones", "sin registro de revisión",
               "una instalación"),
    },
}
ACCOUNTABILITY = {
    "zh": "责任人已约谈，纳入当月绩效考核。",
    "en": "The person responsible was spoken to; noted in this month's review.",
    "es": "Se habló con el responsable; consta en la evaluación del mes.",
}
PREVENTION: dict[str, dict[str, str]] = {
    "QA": {"zh": "提高来料抽检比例，发布8D报告。", "en": "Raise incoming sampling; 8D report issued.",
           "es": "Más muestreo de entrada; informe 8D emitido."},
    "LOG": {"zh": "更换承运商线路，加强包装。", "en": "Changed carrier route and packaging.",
            "es": "Cambio de ruta del transportista y del embalaje."},
    "AFS": {"zh": "技师复训检测流程，增加备件库存。", "en": "Technicians retrained; more spare parts stocked.",
            "es": "Técnicos reciclados; más repuestos en stock."},
    "CS": {"zh": "高峰期增加排班，更新服务话术。", "en": "More staff at peak; scripts updated.",
           "es": "Más personal en hora punta; guiones actualizados."},
    "SALES": {"zh": "促销页面上线前双人复核。", "en": "Promotion pages reviewed by two people.",
              "es": "Las páginas de promoción las revisan dos personas."},
    "FIN": {"zh": "每日对账，退款审核时限缩短为一天。", "en": "Daily reconciliation; refunds approved within a day.",
            "es": "Conciliación diaria; reembolsos aprobados en un día."},
    "FAC": {"zh": "每周巡检并记录，增加保洁频次。", "en": "Weekly inspections recorded; more cleaning.",
            "es": "Revisiones semanales registradas; más limpieza."},
}
NOT_FOUNDED = {
    "zh": ("超出保修期且属人为损坏。", "经核实已按约定时间送达。", "客户误解了活动规则，价格无误。",
           "经检测产品无质量问题。"),
    "en": ("Out of warranty and damaged by use.", "Checked: delivered on the agreed day.",
           "The customer misread the promotion; the price was right."),
    "es": ("Fuera de garantía y dañado por el uso.", "Comprobado: entregado el día acordado.",
           "El cliente malinterpretó la promoción; el precio era correcto."),
}
SURVEY_GOOD = {
    "zh": ("处理很及时，满意。", "客服态度很好，问题解决了。", "感谢跟进。"),
    "en": ("Quick and helpful, thank you.", "Sorted out, happy with it."),
    "es": ("Rápido y amable, gracias.", "Resuelto, estoy contento."),
}
SURVEY_BAD = {
    "zh": ("问题还没有彻底解决。", "处理太慢了，不满意。"),
    "en": ("The problem is not really solved.", "Far too slow."),
    "es": ("El problema no está resuelto.", "Demasiado lento."),
}
RETURNED = {  # what a supervisor writes when sending a proposal back: with money, without
    "zh": ("方案金额偏高，请重新评估。", "原因分析不充分，请补充后重新提交。"),
    "en": ("The amount is too high, please reconsider.",
           "The cause is not clear enough; please add to it and resubmit."),
    "es": ("El importe es demasiado alto, revíselo.",
           "La causa no está clara; complétela y vuelva a enviarla."),
}
REFUSED = {
    "zh": "客户不接受该方案，坚持要求更高补偿。",
    "en": "The customer does not accept the remedy.",
    "es": "El cliente no acepta la solución.",
}
CLOSED_BY_SUPERVISOR = {
    "zh": "三次回访均未接通，主管结案。",
    "en": "No answer after three follow-up calls; closed by the supervisor.",
    "es": "Sin respuesta tras tres llamadas; cerrado por el supervisor.",
}
URGENT_AT_REGISTRATION = "urgent at registration"  # what services.cases.register_in writes

# -- who complains -------------------------------------------------------------------------------

ZH_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
ZH_GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "小明", "建华", "建国", "志强", "秀英", "丽娟", "海燕", "晓东", "子轩", "梓涵", "浩然", "欣怡", "宇航", "雨桐", "思远", "佳怡", "俊杰", "婷婷", "文博", "一鸣", "嘉怡", "明轩", "诗涵", "天宇", "晨曦", "红梅", "玉兰", "国强", "海波", "春生", "秋菊", "雪梅", "德华", "振宇", "美玲", "淑芬", "立新", "卫东", "亚楠", "梦琪", "子涵", "浩宇", "雅静", "俊熙", "思琪", "晓峰", "凤英", "永强", "金凤"]
EN_FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Emily", "Daniel", "Olivia", "Ethan", "Grace", "Noah"]
EN_LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Young"]
ES_FIRST = ["José", "María", "Antonio", "Carmen", "Manuel", "Ana", "Francisco", "Laura", "Javier", "Lucía", "David", "Marta", "Carlos", "Elena", "Pablo", "Sofía", "Alejandro", "Paula", "Sergio", "Isabel"]
ES_LAST = ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Álvarez", "Romero", "Navarro", "Torres", "Domínguez"]
ZH_CITIES = ["华东", "华南", "华北", "江苏", "浙江", "广州", "深圳", "成都", "武汉", "西安", "天津", "青岛", "厦门", "长沙", "郑州", "沈阳"]
ZH_TRADES = ["家电", "电器", "商贸", "电子", "厨具", "生活"]
ZH_DEALER = ("批发有限公司", "商贸有限公司", "贸易公司")
ZH_SHOP = ("专卖店", "经营部", "电器行")
EN_DEALER = ([f"{a} {b}" for a in ("Northwind", "Bayside", "Summit", "Harbor", "Pioneer", "Lakeside")
              for b in ("Appliances Ltd", "Electronics Inc", "Home Supply LLC")])
ES_DEALER = ([f"{a} {b}" for a in ("Electrodomésticos", "Comercial", "Distribuciones")
              for b in ("del Sur S.L.", "Levante S.A.", "Norte S.L.", "Atlántico S.L.", "Ibérica S.A.")])
# Mobile prefixes that phonenumbers accepts as valid, so a demo number can be typed back in.
ZH_MOBILE = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
             "155", "156", "157", "158", "159", "177", "180", "181", "182", "185", "186", "187",
             "188", "189")
US_AREAS = ("212", "415", "646", "310", "617", "312", "206", "512")

# -- who works at the desk -----------------------------------------------------------------------

AGENTS = (("zhou.min", "周敏"), ("li.na", "李娜"), ("wang.lei", "王磊"), ("chen.jing", "陈静"),
          ("liu.yang", "刘洋"), ("zhao.li", "赵丽"), ("sun.tao", "孙涛"), ("wu.fang", "吴芳"),
          ("he.jun", "何军"), ("emma.li", "Emma Li"), ("lucia.vega", "Lucía Vega"),
          ("xu.qian", "徐倩"))
HANDLERS = {
    "CS": (("cs.huang", "黄丽 (客服部)"), ("cs.ma", "马超 (客服部)")),
    "QA": (("qa.zheng", "郑伟 (质量管理部)"), ("qa.lin", "林海 (质量管理部)")),
    "LOG": (("log.guo", "郭强 (储运部)"), ("log.tang", "唐军 (储运部)")),
    "AFS": (("afs.song", "宋杰 (售后服务部)"), ("afs.han", "韩磊 (售后服务部)")),
    "SALES": (("sales.xie", "谢芳 (销售部)"), ("sales.luo", "罗敏 (销售部)")),
    "FIN": (("fin.cao", "曹静 (财务部)"), ("fin.peng", "彭涛 (财务部)")),
    "FAC": (("fac.deng", "邓刚 (行政后勤部)"), ("fac.feng", "冯霞 (行政后勤部)")),
}
SUPERVISORS = (("yang.hong", "杨红"), ("gao.feng", "高峰"), ("maria.ruiz", "María Ruiz"))
MANAGERS = (("zhang.wei", "张伟"),)
ADMINS = (("admin", "系统管理员"),)
DEPARTMENTS = tuple(DEFAULT_DEPARTMENTS)

# -- how cases move ------------------------------------------------------------------------------

# Actors of a step; the approver is a manager when the amount needs two approvals.
REGISTRAR, AGENT, HANDLER, SUPERVISOR, MANAGER, APPROVER = range(1, 7)
# When a step happens at all.
ALWAYS, IF_URGENT, IF_TWO_APPROVALS = range(3)


@dataclass(frozen=True)
class Step:
    action: Action
    to: Status
    actor: int
    gap: int  # working days after the step before; 0 = at the moment of registration
    when: int = ALWAYS


def _path(*names: str) -> list[Step]:
    pieces: dict[str, list[Step]] = {
        "assign": [Step(Action.ASSIGN, Status.ASSIGNED, AGENT, 1)],
        "cause": [Step(Action.RECORD_CAUSE, Status.INVESTIGATING, HANDLER, 2)],
        "propose": [Step(Action.PROPOSE, Status.PROPOSED, HANDLER, 1)],
        # Above the approval threshold a supervisor approves first and a manager second.
        "approve": [Step(Action.APPROVE, Status.PROPOSED, SUPERVISOR, 1, IF_TWO_APPROVALS),
                    Step(Action.APPROVE, Status.APPROVED, APPROVER, 1)],
        "return": [Step(Action.RETURN, Status.RETURNED, SUPERVISOR, 1)],
        "agree": [Step(Action.CUSTOMER_ANSWER, Status.IMPLEMENTING, AGENT, 1)],
        "disagree": [Step(Action.CUSTOMER_ANSWER, Status.INVESTIGATING, AGENT, 1)],
        "implement": [Step(Action.IMPLEMENT, Status.FOLLOW_UP, HANDLER, 2)],
        "satisfied": [Step(Action.FOLLOW_UP, Status.CLOSED, AGENT, 3)],
        "unsatisfied": [Step(Action.FOLLOW_UP, Status.REOPENED, AGENT, 3)],
        "close": [Step(Action.CLOSE, Status.CLOSED, SUPERVISOR, 5)],
        "not_founded": [Step(Action.DECIDE_VALIDITY, Status.CLOSED, AGENT, 1)],
    }
    steps = [Step(Action.REGISTER, Status.REGISTERED, REGISTRAR, 0),
             Step(Action.ESCALATE, Status.REGISTERED, REGISTRAR, 0, IF_URGENT)]
    for name in names:
        steps += pieces[name]
    return steps


_TO_APPROVAL = ("assign", "cause", "propose", "approve")
_TO_FOLLOW_UP = (*_TO_APPROVAL, "agree", "implement")
PATHS: dict[str, list[Step]] = {
    "registered": _path(),
    "assigned": _path("assign"),
    "investigating": _path("assign", "cause"),
    "refused": _path(*_TO_APPROVAL, "disagree"),
    "proposed": _path("assign", "cause", "propose"),
    "returned": _path("assign", "cause", "propose", "return"),
    "approved": _path(*_TO_APPROVAL),
    "implementing": _path(*_TO_APPROVAL, "agree"),
    "follow_up": _path(*_TO_FOLLOW_UP),
    "satisfied": _path(*_TO_FOLLOW_UP, "satisfied"),
    "by_supervisor": _path(*_TO_FOLLOW_UP, "close"),
    "reopened": _path(*_TO_FOLLOW_UP, "unsatisfied"),
    "second_proposal": _path("assign", "cause", "propose", "return", "propose", "approve",
                             "agree", "implement", "satisfied"),
    "not_founded": _path("not_founded"),
}
# Working-day paces: every gap times this, at least one day.
PACES = {"fast": (0.5, 1.0), "usual": (1.0, 2.0), "slow": (2.0, 1.0)}  # factor, weight
# Age buckets: the least number of working days since registration.
BUCKETS = (0, 1, 3, 6, 11, 21, 41)
# Share of each path per age bucket. A path only goes where its timeline fits; old open cases
# are the stale, overdue ones.
SHARES: dict[str, tuple[float, ...]] = {
    "registered": (100, 15, 3, 0.5, 0.5, 0.3, 0.1),
    "assigned": (0, 40, 12, 3, 0.5, 0.5, 0.15),
    "investigating": (0, 20, 30, 8, 2, 1.5, 0.25),
    "refused": (0, 0, 1, 2, 1, 0.5, 0.1),
    "proposed": (0, 0, 20, 10, 2, 1, 0.1),
    "returned": (0, 0, 3, 3, 1, 0.5, 0.05),
    "approved": (0, 0, 8, 8, 2, 1, 0.1),
    "implementing": (0, 0, 5, 15, 5, 1.5, 0.1),
    "follow_up": (0, 0, 0, 15, 8, 2, 0.15),
    "satisfied": (0, 0, 0, 20, 55, 65, 68),
    "by_supervisor": (0, 0, 0, 0, 3, 5, 6),
    "reopened": (0, 0, 0, 2, 3, 1.5, 0.2),
    "second_proposal": (0, 0, 0, 0, 3, 4, 4),
    "not_founded": (0, 25, 15, 15, 15, 16, 16),
}
SLOTS = 1000  # a case picks its path by a hash modulo this


@dataclass(frozen=True)
class Profile:
    """One path at one pace: the working-day offset of each of its steps."""

    pid: int
    name: str
    steps: list[tuple[Step, int]]  # (step, working days after registration)

    @property
    def status(self) -> Status:
        return self.steps[-1][0].to

    def last(self, action: Action, to: Status | None = None) -> tuple[int, int]:
        """(offset, index) of the last step of ``action`` (leading to ``to``); (0, 0) if none."""
        for n in range(len(self.steps) - 1, -1, -1):
            step, c = self.steps[n]
            if step.action is action and (to is None or step.to is to):
                return c, n
        return 0, 0

    @property
    def span(self) -> int:
        return self.steps[-1][1]


def profiles() -> list[Profile]:
    out: list[Profile] = []
    for name, path in PATHS.items():
        for factor, _weight in PACES.values():
            c = 0
            steps = []
            for step in path:
                if step.gap:
                    c += max(1, round(step.gap * factor))
                steps.append((step, c))
            out.append(Profile(len(out), name, steps))
    return out


# -- the plan: everything Python decides before the database works -------------------------------


def _hash_constants(rng: random.Random, n: int) -> list[tuple[int, int, int]]:
    return [(rng.randrange(1 << 20, 1 << 31), rng.randrange(1 << 20, 1 << 31),
             rng.randrange(1 << 31)) for _ in range(n)]


P = 2_147_483_647  # a prime: hashes are quadratic polynomials of the id modulo it
DAY = 86_400
OPENING = 8 * 3600  # complaints arrive between 08:00 and 22:00 local time
HOURS_OPEN = 14 * 3600


@dataclass
class Plan:
    n: int
    days: list[date]  # registration days, oldest first
    templates: list[dict[str, Any]]  # complete complaints, rows of demo_tpl
    names: list[tuple[int, str, str]]  # (k, name, its search tokens)
    segments: dict[str, dict[str, int]]  # per language: template, customer and name ranges
    hashes: list[tuple[int, int, int]]
    profiles: list[Profile]
    day_rows: list[tuple[Any, ...]]
    fixed_offset: bool  # the time zone keeps one UTC offset over the whole period


def _fill_in(text: str, item: str, n: int) -> str:
    return text.replace("{item}", item).replace("{n}", str(n))


def _products(lang: str, item: str) -> list[str]:
    zh, en, es, prefix, _price = ITEMS[item]
    models = [f"{prefix}-{m}" for m in ("30A", "52S", "80X")]
    if lang == "zh":
        return [f"{BRAND['zh']}{zh} {m}" for m in models]
    if lang == "en":
        return [f"{BRAND['en']} {en.title()} {m}" for m in models]
    return [f"{es.capitalize()} {BRAND['es']} {m}" for m in models]


def _templates(rng: random.Random, lang: str, size: int) -> list[dict[str, Any]]:
    """``size`` rows, categories in proportion to their weight; each a complete complaint."""
    rows: list[dict[str, Any]] = []
    total = sum(c.weight for c in CATEGORIES)
    for cat in CATEGORIES:
        count = max(2, round(size * cat.weight / total))
        for j in range(count):
            danger = bool(cat.danger) and j % 12 == 0
            sentences = (cat.danger if danger else cat.texts)[lang]
            item_key = rng.choice(cat.items) if cat.items else ""
            item = str(ITEMS[item_key][LANGS.index(lang)]) if item_key else ""
            products = _products(lang, item_key) if item_key else [""]
            product = rng.choice(products)
            sentence = _fill_in(rng.choice(sentences), item, rng.randint(2, 9))
            description = rng.choice(OPENERS[lang]) + sentence + rng.choice(CLOSERS[lang])
            if lang == "zh" and not description.endswith(("。", "！", "？")):
                description += "。" if description[-1] not in "，" else ""
            remedy = rng.choice(cat.remedies)
            request = rng.choice(REQUESTS[remedy][lang])
            price = ITEMS[item_key][4] if item_key else 200
            if remedy is R.REFUND:
                base = price * 100
            elif remedy is R.COMPENSATION:
                # Food: 2 to 5 times the product's price (DOMAIN.md).
                base = price * 350 if item_key in FOODS else max(price * 30, 20_000)
            elif remedy is R.DISCOUNT:
                base = max(price * 20, 5_000)
            else:
                base = 0
            cause = CAUSES[cat.department][lang]
            # A few products have one production batch with many complaints: batch problems.
            hot = cat.batch and item_key in ("rice_cooker", "dumplings", "purifier") and product == products[0]
            rows.append({
                "lang": LANGS.index(lang),
                "category": cat.code,
                "dept": cat.department,
                "dept_idx": DEPARTMENTS.index(cat.department),
                "danger": int(danger),
                "sev_lo": 2 if danger else cat.severities[0],
                "sev_n": 2 if danger else cat.severities[1] - cat.severities[0] + 1,
                "product": product,
                "has_product": int(bool(item_key)),
                "batch": int(cat.batch),
                "hot": int(hot),
                "description": description,
                "request": request,
                "remedy": remedy.value,
                "money": int(remedy in MONEY_REMEDIES),
                "amount": base,
                "fishbone": rng.choice(cat.fishbone).value,
                "cause_what": cause[0] if lang != "zh" else f"{item}{cause[0]}" if item else cause[0],
                "cause_why": cause[1],
                "cause_where": cause[2],
                "cause_who": cause[3],
                "cause_how": cause[4],
                "cause_how_much": cause[5],
                "proposal": PROPOSALS[remedy][lang],
                "implementation": IMPLEMENTED[remedy][lang],
                "accountability": ACCOUNTABILITY[lang],
                "prevention": PREVENTION[cat.department][lang],
                "not_founded": rng.choice(NOT_FOUNDED[lang]),
                "survey_good": rng.choice(SURVEY_GOOD[lang]),
                "survey_bad": rng.choice(SURVEY_BAD[lang]),
                "returned": RETURNED[lang][0 if remedy in MONEY_REMEDIES else 1],
                "refused": REFUSED[lang],
                "closed": CLOSED_BY_SUPERVISOR[lang],
                "tokens": index_text(description, request, product),
                # Timeline details, written the way services.cases writes them (json.dumps).
                "d_assign": f'{{"department": "{cat.department}"}}',
                "d_cause": '{"fishbone": "{fishbone}"}',
                "d_prop1": f'{{"remedy": "{remedy.value}", "approvals_needed": 1}}',
                "d_prop2": f'{{"remedy": "{remedy.value}", "approvals_needed": 2}}',
                "d_appr11": f'{{"level": 1, "of": 1, "remedy": "{remedy.value}"}}',
                "d_appr12": f'{{"level": 1, "of": 2, "remedy": "{remedy.value}"}}',
                "d_appr22": f'{{"level": 2, "of": 2, "remedy": "{remedy.value}"}}',
            })
            rows[-1]["d_cause"] = rows[-1]["d_cause"].replace("{fishbone}", rows[-1]["fishbone"])
    rng.shuffle(rows)
    return rows


def _people(rng: random.Random, lang: str, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        if lang == "zh":
            names.add(rng.choice(ZH_SURNAMES) + rng.choice(ZH_GIVEN))
        elif lang == "en":
            names.add(f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}")
        else:
            first, second = rng.sample(ES_LAST, 2)
            names.add(f"{rng.choice(ES_FIRST)} {first} {second}")
    return sorted(names)


def _dealers(lang: str) -> list[str]:
    if lang == "zh":
        return [f"{c}{t}{s}" for c in ZH_CITIES for t in ZH_TRADES for s in ZH_DEALER + ZH_SHOP]
    return list(EN_DEALER if lang == "en" else ES_DEALER)


# Working-day offsets of a day, 7 bits each, PER_WORD to a 64-bit integer: cheaper to take
# apart in SQL than a string.
PER_WORD, WORDS = 9, 8


def _packed(values: list[int]) -> list[int]:
    if len(values) > PER_WORD * WORDS or any(not 0 <= v < 128 for v in values):
        raise ValueError("deadlines too long for the demo generator")
    words = [0] * WORDS
    for c, v in enumerate(values):
        words[c // PER_WORD] |= v << (7 * (c % PER_WORD))
    return words


def make_plan(desk: Desk, cases: int, seed: int, now: datetime) -> Plan:
    rng = random.Random(seed)
    calendar = desk.calendar
    today = calendar.local_date(now)
    # Spread over up to two years, at most 9,000 a day so numbers keep four digits.
    span = max(30, min(730, cases // 200), -(-cases // 9000))
    days = [today - timedelta(days=span - d) for d in range(span)]
    profs = profiles()
    needed = max(p.span for p in profs) + 2 * max(
        desk.settings.deadlines.department_working_days,
        desk.settings.deadlines.follow_up_working_days,
        desk.settings.deadlines.answer_working_days,
        desk.settings.deadlines.critical_answer_working_days,
        desk.settings.deadlines.critical_department_working_days,
    ) + 2
    working: dict[date, bool] = {}

    def is_working(d: date) -> bool:
        if d not in working:
            working[d] = calendar.is_working_day(d)
        return working[d]

    def local_noon(d: date) -> int:
        moment = datetime(d.year, d.month, d.day, 12, tzinfo=calendar.tz)
        return int(moment.timestamp())

    offsets = set()
    day_rows = []
    per_day = [0] * span
    first = [0] * span
    for i in range(span):
        # Case ids 1..cases in registration order: day r holds ids with (id-1)*span//cases == r.
        first[i] = -(-i * cases // span) + 1
    for i in range(span):
        per_day[i] = (first[i + 1] if i + 1 < span else cases + 1) - first[i]
    # Working days after each registration day up to yesterday: how old its cases are.
    ages = [0] * span
    for r in range(span - 2, -1, -1):
        ages[r] = ages[r + 1] + is_working(days[r + 1])
    for r, d in enumerate(days):
        e0 = local_noon(d) - DAY // 2
        deltas, shifts = [], []
        w, c = d, 0
        while c < needed:
            if c:
                w += timedelta(days=1)
                while not is_working(w):
                    w += timedelta(days=1)
            shift = local_noon(w) - DAY // 2 - e0 - (w - d).days * DAY
            offsets.add(shift)
            deltas.append((w - d).days)
            shifts.append(64 + shift // 900)
            c += 1
        bucket = max(b for b, least in enumerate(BUCKETS) if ages[r] >= least)
        step = max(1, HOURS_OPEN // max(1, per_day[r]))
        ymd = d.strftime("%Y%m%d")
        day_rows.append((r, ymd, f"KS-{ymd}-", f"SO{ymd}", d.strftime("%Y-%m"), e0, first[r],
                         per_day[r], step, bucket, *_packed(deltas), *_packed(shifts)))

    share = LANG_SHARE
    lang_counts = {lang: ((cases // 100) + 1) * share[lang] for lang in LANGS}
    templates: list[dict[str, Any]] = []
    segments: dict[str, dict[str, int]] = {}
    names: list[tuple[int, str, str]] = []
    customer_base = 0
    start = 0
    for lang in LANGS:
        size = {"zh": 4000, "en": 600, "es": 600}[lang]
        rows = _templates(rng, lang, size)
        people = _people(rng, lang, {"zh": 6000, "en": 400, "es": 1500}[lang])
        dealers = _dealers(lang)
        dealer_base = len(names)
        names += [(dealer_base + j, n, index_text(n)) for j, n in enumerate(dealers)]
        person_base = len(names)
        names += [(person_base + j, n, index_text(n)) for j, n in enumerate(people)]
        expected = max(1, cases * share[lang] // 100)
        customers = max(20, expected * 55 // 100)
        seg = {
            "tbase": len(templates), "tn": len(rows),
            "start": start, "share": share[lang], "nl": lang_counts[lang],
            "cbase": customer_base, "cn": customers,
            "ca": max(2, customers // 250), "cs": max(2, customers // 80),
            "cf": max(5, customers // 40),
            "dbase": dealer_base, "dn": len(dealers), "pbase": person_base, "pn": len(people),
        }
        segments[lang] = seg
        for row in rows:
            row.update({k: seg[k] for k in ("start", "share", "nl", "cbase", "cn", "ca", "cs",
                                             "cf", "dbase", "dn", "pbase", "pn")})
        templates += rows
        customer_base += customers
        start += share[lang]
    return Plan(
        n=cases, days=days, templates=templates, names=names, segments=segments,
        hashes=_hash_constants(rng, 8), profiles=profs, day_rows=day_rows,
        fixed_offset=offsets == {0},
    )


# -- SQL that both engines run -------------------------------------------------------------------


# (value, upper bound of its share in percent)
CHANNELS = (("phone", 40), ("online", 68), ("email", 78), ("shop", 92), ("social", 100))
MOODS = (("calm", 50), ("angry", 80), ("disappointed", 100))


def bucketed(draw: str, choices: Sequence[tuple[str, int]], shown: Callable[[str], str]) -> str:
    """SQL choosing ``shown(value)`` by where ``draw`` (0..99) falls among the shares."""
    whens = " ".join(f"WHEN {draw} < {limit} THEN '{shown(value)}'" for value, limit in choices[:-1])
    return f"(CASE {whens} ELSE '{shown(choices[-1][0])}' END)"


class Sql:
    """The statements, and the few places where SQLite and PostgreSQL differ.

    First each case's choices are worked out once into the temporary table demo_case (alias
    ``dc``); every later statement reads them from there.
    """

    def __init__(self, plan: Plan, sqlite: bool, threshold_cents: int, deadlines: Any,
                 users: dict[str, list[int]], first_customer: int) -> None:
        self.plan = plan
        self.sqlite = sqlite
        self.threshold = threshold_cents
        self.deadlines = deadlines
        self.users = users
        self.first_customer = first_customer

    # engine differences
    def ts(self, epoch: str) -> str:
        if self.sqlite:
            return f"(datetime({epoch}, 'unixepoch') || '.000000')"
        return f"to_timestamp({epoch})"

    def date(self, epoch: str) -> str:
        if self.sqlite:
            return f"date({epoch}, 'unixepoch')"
        return f"CAST(to_timestamp({epoch}) AT TIME ZONE 'UTC' AS DATE)"

    @staticmethod
    def text(expr: str) -> str:
        return f"CAST({expr} AS TEXT)"

    @staticmethod
    def series(lo: int, hi: int) -> str:
        return (f"WITH RECURSIVE seq(i) AS (SELECT CAST({lo} AS BIGINT) UNION ALL "
                f"SELECT i + 1 FROM seq WHERE i < {hi}) ")

    @staticmethod
    def pick(pool: Sequence[int], expr: str) -> str:
        ids = list(pool)
        if ids == list(range(ids[0], ids[0] + len(ids))):
            return f"({ids[0]} + ({expr}) % {len(ids)})"
        whens = " ".join(f"WHEN {j} THEN {uid}" for j, uid in enumerate(ids))
        return f"(CASE ({expr}) % {len(ids)} {whens} END)"

    def seg(self, lang: str, key: str) -> int:
        return self.plan.segments[lang][key]

    # -- stage 1: each case's choices ------------------------------------------------------------

    def h(self, k: int) -> str:
        """Hash ``k`` of the case id: a quadratic polynomial modulo a prime."""
        a, b, c = self.plan.hashes[k]
        return f"(((i * i) % {P}) * {a} + i * {b} + {c}) % {P}"

    def choices(self, lo: int, hi: int, only: Sequence[str] = ()) -> str:
        """Fill demo_case for ids ``lo``..``hi``; with ``only``, just those columns."""
        n, span = self.plan.n, len(self.plan.days)
        rho = "((i * 37) % 100)"

        def template(lang: str) -> str:
            return f"({self.seg(lang, 'tbase')} + (h0 / {SLOTS}) % {self.seg(lang, 'tn')})"

        tpl = (f"(CASE WHEN {rho} < {self.seg('en', 'start')} THEN {template('zh')} "
               f"WHEN {rho} < {self.seg('es', 'start')} THEN {template('en')} "
               f"ELSE {template('es')} END)")
        # A fifth of the cases come from frequent complainants; the others spread so that
        # nearly every customer has at least one case.
        ordinal = f"((i / 100) * tp.share + {rho} - tp.start)"
        k = (f"(CASE WHEN h2 % 100 < 20 THEN (h2 / 100) % tp.cf "
             f"ELSE tp.cf + ({ordinal} * (tp.cn - tp.cf)) / tp.nl END)")
        urgent = "(tp.danger = 1 AND h3 % 2 = 0)"
        factor = "(60 + (h4 / 7) % 81)"

        def amount(mult: int) -> str:
            return f"(CASE WHEN tp.money = 1 THEN ((tp.amount * {factor} * {mult}) / 1000000) * 100 END)"

        def two(mult: int) -> str:
            return f"(CASE WHEN {amount(mult)} > {self.threshold} THEN 1 ELSE 0 END)"

        local = f"({OPENING} + (i - dy.first_id) * dy.step + h1 % dy.step)"
        draw = "((h3 / 1000) % 100)"
        channel = bucketed(draw, CHANNELS, str)
        spoken = bucketed(draw, CHANNELS, lambda c: "1" if c in ("phone", "shop") else "0")
        # How the caller sounded is noted for calls and visits.
        mood = f"(CASE WHEN {spoken} = '1' THEN {bucketed('((h5 / 7) % 100)', MOODS, str)} END)"
        handler = "(CASE tp.dept_idx " + " ".join(
            f"WHEN {d} THEN {self.pick(self.users[f'handlers:{dept}'], 'h5')}"
            for d, dept in enumerate(DEPARTMENTS)) + " END)"
        registrar = (f"(CASE WHEN h6 % 20 = 0 THEN {self.pick(self.users['supervisors'], 'h6 / 20')} "
                     f"ELSE {self.pick(self.users['agents'], 'h6 / 20')} END)")
        score = ("(CASE pk.score WHEN 1 THEN 4 + (h6 / 3) % 2 WHEN 2 THEN 1 + (h6 / 3) % 3 END)")
        values = {
            "i": "i",
            "r": f"((i - 1) * {span}) / {n}",
            "t": "tp.t",
            "pkk": "pk.k",
            "pid": "pk.pid",
            "k": k,
            "urg": f"(CASE WHEN {urgent} THEN 1 ELSE 0 END)",
            "sev": f"(CASE WHEN {urgent} THEN 3 ELSE tp.sev_lo + (h3 / 2) % tp.sev_n END)",
            "amt": amount(100),
            "amt_hi": amount(150),
            "two": two(100),
            "two_hi": two(150),
            "loc": local,
            "reg": f"(dy.e0 + {local})",
            "registrar": registrar,
            "handler": handler,
            "hs": "h7",
            "h4": "h4",
            "chan": channel,
            "mood": mood,
            "score": score,
            "d_reg": bucketed(draw, CHANNELS, lambda c: f'{{"channel": "{c}"}}'),
            "d_score": f"""('{{"score": ' || {self.text(score)} || '}}')""",
        }
        if only:
            values = {c: v for c, v in values.items() if c in only}
        hashes = ", ".join(f"{self.h(j)} AS h{j}" for j in range(8))
        return (
            f"INSERT INTO demo_case ({', '.join(values)}) " + self.series(lo, hi)
            + f", hh AS MATERIALIZED (SELECT i, {hashes} FROM seq) "
            f"SELECT {', '.join(values.values())} FROM hh "
            f"JOIN demo_day dy ON dy.d = ((i - 1) * {span}) / {n} "
            f"JOIN demo_tpl tp ON tp.t = {tpl} "
            f"JOIN demo_pick pk ON pk.k = dy.bucket * {SLOTS} + h0 % {SLOTS}"
        )

    # -- stage 2: expressions over dc, dy (its day), tp (its template), pk (its profile) ---------

    FROM = ("FROM demo_case dc JOIN demo_day dy ON dy.d = dc.r "
            "JOIN demo_tpl tp ON tp.t = dc.t ")

    @staticmethod
    def unpack(prefix: str, c: str) -> str:
        word = " ".join(f"WHEN {j} THEN dy.{prefix}{j}" for j in range(WORDS))
        return f"(((CASE ({c}) / {PER_WORD} {word} END) >> (7 * (({c}) % {PER_WORD}))) & 127)"

    def cal(self, c: str) -> str:
        """Calendar days from the registration day to its ``c``-th working day after."""
        return self.unpack("w", c)

    def day_start(self, c: str) -> str:
        """Epoch of local midnight of the ``c``-th working day after the registration day."""
        shift = "" if self.plan.fixed_offset else f" + ({self.unpack('s', c)} - 64) * 900"
        return f"(dy.e0 + {self.cal(c)} * {DAY}{shift})"

    @staticmethod
    def step_hash(n: str) -> str:
        return f"((dc.hs + ({n}) * 7368787) % {P})"

    def local(self, n: str) -> str:
        return f"({OPENING} + {self.step_hash(n)} % {HOURS_OPEN})"

    def at_step(self, c: str, n: str) -> str:
        return f"({self.day_start(c)} + {self.local(n)})"

    def step_or_registered(self, c: str, n: str) -> str:
        return f"(CASE WHEN {c} = 0 THEN dc.reg ELSE {self.at_step(c, n)} END)"

    def actor(self, kind: str, n: str, two: str = "dc.two") -> str:
        by = f"({self.step_hash(n)} / {HOURS_OPEN})"
        agents, sups, mgrs = (self.users[p] for p in ("agents", "supervisors", "managers"))
        return (f"(CASE {kind} WHEN {REGISTRAR} THEN dc.registrar "
                f"WHEN {AGENT} THEN {self.pick(agents, by)} WHEN {HANDLER} THEN dc.handler "
                f"WHEN {SUPERVISOR} THEN {self.pick(sups, by)} "
                f"WHEN {MANAGER} THEN {self.pick(mgrs, by)} "
                f"WHEN {APPROVER} THEN (CASE WHEN {two} = 1 THEN {self.pick(mgrs, by)} "
                f"ELSE {self.pick(sups, by)} END) END)")

    @staticmethod
    def by_mult(mult: str, usual: str, higher: str) -> str:
        return f"(CASE WHEN {mult} = 150 THEN {higher} ELSE {usual} END)"

    @staticmethod
    def customer_class(k: str, ca: str, cs: str) -> str:
        return (f"(CASE WHEN {k} < {ca} THEN 'a_dealer' WHEN {k} < {ca} + {cs} THEN 'sub_dealer' "
                f"WHEN (({k}) * 7919) % 100 < 12 THEN 'direct' ELSE 'end_user' END)")

    @staticmethod
    def name_k(k: str, ca: str, cs: str, dbase: str, dn: str, pbase: str, pn: str) -> str:
        return (f"(CASE WHEN {k} < {ca} + {cs} THEN {dbase} + ({k}) % {dn} "
                f"ELSE {pbase} + ((({k}) * 2654435761) % {P}) % {pn} END)")

    def customers(self, lang: str, created: int) -> str:
        seg = self.plan.segments[lang]
        ca, cs = seg["ca"], seg["cs"]
        g = f"(i + {self.first_customer + seg['cbase']})"
        digits8 = f"substr({self.text(f'100000000 + ({g} * 39916801) % 100000000')}, 2)"
        if lang == "zh":
            prefixes = "".join(ZH_MOBILE)
            phone = (f"'+86' || substr('{prefixes}', CAST(3 * ({g} % {len(ZH_MOBILE)}) + 1 AS INTEGER), 3) "
                     f"|| {digits8}")
            region, email_share = "CN", 10
        elif lang == "en":
            areas = "".join(US_AREAS)
            phone = (f"'+1' || substr('{areas}', CAST(3 * ({g} % {len(US_AREAS)}) + 1 AS INTEGER), 3) || "
                     f"{self.text(f'2000000 + ({g} * 39916801) % 8000000')}")
            region, email_share = "US", 50
        else:
            phone = f"'+346' || {digits8}"
            region, email_share = "ES", 50
        cls = self.customer_class("i", str(ca), str(cs))
        dealer = f"({self.first_customer + seg['cbase']} + i % {ca})"
        return (
            "INSERT INTO customers (id, name, phone, email, customer_class, dealer_id, region, "
            "created_at) "
            + self.series(0, seg["cn"] - 1)
            + f"SELECT {g}, nm.name, {phone}, "
            f"(CASE WHEN i < {ca + cs} THEN 'service' || {self.text(g)} || '@dealer.example.com' "
            f"WHEN ({g} * 7) % 100 < {email_share} THEN 'customer' || {self.text(g)} "
            f"|| '@example.com' END), {cls}, "
            f"(CASE WHEN {cls} = 'sub_dealer' OR ({cls} = 'end_user' AND (i * 31) % 100 < 25) "
            f"THEN {dealer} END), '{region}', {self.ts(str(created))} "
            f"FROM seq JOIN demo_name nm ON nm.k = "
            + self.name_k("i", str(ca), str(cs), str(seg["dbase"]), str(seg["dn"]),
                          str(seg["pbase"]), str(seg["pn"]))
        )

    def case_values(self) -> list[tuple[str, str]]:
        """(column, expression) of every column of a case."""
        d = self.deadlines
        acknowledge = f"(dc.reg + {d.acknowledge_hours * 3600})"
        answer_days = (f"(CASE WHEN dc.sev = 3 THEN {d.critical_answer_working_days} "
                       f"ELSE {d.answer_working_days} END)")
        department_days = (f"(CASE WHEN dc.sev = 3 THEN {d.critical_department_working_days} "
                           f"ELSE {d.department_working_days} END)")
        answer = f"({self.day_start(answer_days)} + dc.loc)"
        department_due = (f"({self.day_start(f'pk.c_assign + {department_days}')} "
                          f"+ {self.local('pk.n_assign')})")
        follow_up_due = (f"({self.day_start(f'pk.c_impl + {d.follow_up_working_days}')} "
                         f"+ {self.local('pk.n_impl')})")

        def when(flag: str, value: str, otherwise: str = "NULL") -> str:
            return f"(CASE WHEN pk.{flag} = 1 THEN {value} ELSE {otherwise} END)"

        assigned = self.at_step("pk.c_assign", "pk.n_assign")
        implemented = self.at_step("pk.c_impl", "pk.n_impl")

        def by_status(moment: Callable[[str, str], str]) -> str:
            """The next deadline's expression built from (clock start, due) for each status."""
            return (
                f"(CASE WHEN pk.status = 'registered' THEN {moment('dc.reg', acknowledge)} "
                f"WHEN pk.status IN ('assigned', 'investigating', 'returned', 'reopened') "
                f"THEN {moment(assigned, department_due)} "
                f"WHEN pk.status IN ('proposed', 'approved', 'implementing') THEN {moment('dc.reg', answer)} "
                f"WHEN pk.status = 'follow_up' THEN {moment(implemented, follow_up_due)} END)"
            )

        next_due = by_status(lambda start, due: self.ts(due))
        # sla.at_risk_from: under a quarter of the span from the clock's start to the deadline left
        at_risk = by_status(lambda start, due: self.ts(f"({due} - ({due} - {start}) / 4)"))
        return [
            ("id", "dc.i"),
            ("number", f"dy.num || substr({self.text('10001 + dc.i - dy.first_id')}, 2)"),
            ("version", "pk.version + pk.two * dc.two"),
            ("status", "pk.status"),
            ("urgent", "(dc.urg = 1)"),
            ("channel", "dc.chan"),
            ("customer_id", f"({self.first_customer} + tp.cbase + dc.k)"),
            ("customer_class", self.customer_class("dc.k", "tp.ca", "tp.cs")),
            ("product", "tp.product"),
            ("order_no", f"(CASE WHEN tp.has_product = 1 THEN dy.so || "
                         f"substr({self.text('1000000 + (dc.h4 / 13) % 1000000')}, 2) ELSE '' END)"),
            ("batch", "(CASE WHEN tp.batch = 0 THEN '' WHEN tp.hot = 1 AND (dc.h4 / 17) % 10 < 7 "
                      f"THEN 'L24017' ELSE 'L' || {self.text('24001 + (dc.h4 / 17) % 48')} END)"),
            ("purchase_date", f"(CASE WHEN tp.has_product = 1 THEN "
                              f"{self.date(f'dy.e0 + 43200 - (1 + (dc.h4 / 19) % 90) * {DAY}')} END)"),
            ("category", "tp.category"),
            ("severity", "dc.sev"),
            ("description", "tp.description"),
            ("customer_request", "tp.request"),
            ("caller_mood", "dc.mood"),
            ("registered_at", self.ts("dc.reg")),
            ("registered_by", "dc.registrar"),
            ("updated_at", self.ts(self.step_or_registered("pk.c_last", "pk.n_last"))),
            ("validity", "pk.validity"),
            ("validity_reason", "(CASE WHEN pk.validity = 'not_founded' THEN tp.not_founded ELSE '' END)"),
            ("department_code", when("assigned", "tp.dept")),
            ("handler_id", when("assigned", "dc.handler")),
            ("assigned_at", when("assigned", self.ts(self.at_step("pk.c_assign", "pk.n_assign")))),
            ("cause_what", when("cause", "tp.cause_what", "''")),
            ("cause_why", when("cause", "tp.cause_why", "''")),
            ("cause_when", when("cause", "dy.month", "''")),
            ("cause_where", when("cause", "tp.cause_where", "''")),
            ("cause_who", when("cause", "tp.cause_who", "''")),
            ("cause_how", when("cause", "tp.cause_how", "''")),
            ("cause_how_much", when("cause", "tp.cause_how_much", "''")),
            ("fishbone_factor", when("cause", "tp.fishbone")),
            ("remedy", when("remedy_on", "tp.remedy")),
            ("amount_cents", when("remedy_on", "dc.amt")),
            ("implementation", when("implemented", "tp.implementation", "''")),
            ("accountability", when("implemented", "tp.accountability", "''")),
            ("preventive_action", when("implemented", "tp.prevention", "''")),
            ("implemented_at", when("implemented", self.ts(self.at_step("pk.c_impl", "pk.n_impl")))),
            ("satisfaction", "dc.score"),
            ("closed_at", when("closing", self.ts(self.at_step("pk.c_close", "pk.n_close")))),
            ("closure", "pk.closure"),
            ("typical", "(pk.score = 1 AND (dc.hs / 7) % 100 = 0)"),
            ("acknowledge_due_at", self.ts(acknowledge)),
            ("answer_due_at", self.ts(answer)),
            ("department_due_at", when("assigned", self.ts(department_due))),
            ("follow_up_due_at", when("implemented", self.ts(follow_up_due))),
            ("next_due_at", next_due),
            ("at_risk_at", at_risk),
        ]

    def cases(self) -> str:
        values = self.case_values()
        return (f"INSERT INTO cases ({', '.join(c for c, _ in values)}) "
                f"SELECT {', '.join(v for _, v in values)} {self.FROM}"
                "JOIN demo_pick pk ON pk.k = dc.pkk ORDER BY dc.i")

    def search(self) -> str:
        target = "case_search (rowid, body)" if self.sqlite else "case_search (case_id, body)"
        name = self.name_k("dc.k", "tp.ca", "tp.cs", "tp.dbase", "tp.dn", "tp.pbase", "tp.pn")
        return (f"INSERT INTO {target} SELECT dc.i, nm.tok || ' ' || tp.tokens "
                f"FROM demo_case dc JOIN demo_tpl tp ON tp.t = dc.t "
                f"JOIN demo_name nm ON nm.k = {name} ORDER BY dc.i")

    def events(self) -> str:
        two = self.by_mult("st.mult", "dc.two", "dc.two_hi")
        comment = "(CASE st.comment " + " ".join(
            f"WHEN {j} THEN {c}" for j, c in enumerate(COMMENTS)) + " END)"
        filled = {
            "fixed": "st.fixed",
            "channel": "dc.d_reg",
            "department": "tp.d_assign",
            "fishbone": "tp.d_cause",
            "proposal": f"(CASE WHEN {two} = 1 THEN tp.d_prop2 ELSE tp.d_prop1 END)",
            "approval": (f"(CASE WHEN {two} = 0 THEN tp.d_appr11 "
                         f"WHEN st.cond = {IF_TWO_APPROVALS} THEN tp.d_appr12 ELSE tp.d_appr22 END)"),
            "score": "dc.d_score",
        }
        details = "(CASE st.details " + " ".join(
            f"WHEN {j} THEN {filled[d]}" for j, d in enumerate(DETAILS)) + " END)"
        return (
            "INSERT INTO case_events (case_id, at, actor_id, action, from_status, to_status, "
            f"comment, visibility, details) SELECT dc.i, "
            f"{self.ts(self.step_or_registered('st.c', 'st.n'))}, "
            f"{self.actor('st.actor', 'st.n', two)}, st.action, st.from_s, st.to_s, "
            f"{comment}, st.vis, {details} {self.FROM}"
            f"JOIN demo_step st ON st.pid = dc.pid AND (st.cond = {ALWAYS} "
            f"OR (st.cond = {IF_URGENT} AND dc.urg = 1) "
            f"OR (st.cond = {IF_TWO_APPROVALS} AND {two} = 1)) ORDER BY dc.i, st.n"
        )

    def proposals(self) -> str:
        return (
            "INSERT INTO proposals (case_id, remedy, amount_cents, details, proposed_by, "
            "proposed_at, status, approvals_needed) "
            f"SELECT dc.i, tp.remedy, {self.by_mult('pp.mult', 'dc.amt', 'dc.amt_hi')}, "
            f"tp.proposal, dc.handler, {self.ts(self.at_step('pp.c', 'pp.n'))}, pp.status, "
            f"1 + {self.by_mult('pp.mult', 'dc.two', 'dc.two_hi')} {self.FROM}"
            "JOIN demo_prop pp ON pp.pid = dc.pid ORDER BY dc.i, pp.pno"
        )

    def approvals(self, after: int) -> str:
        """Approvals of the proposals with ids above ``after``: those of this chunk's cases."""
        two = self.by_mult("pa.mult", "dc.two", "dc.two_hi")
        # Reading only this chunk's proposals (an id range) instead of joining all proposals
        # to this chunk's cases: the latter scans every earlier chunk's proposals again.
        return (
            "INSERT INTO approvals (proposal_id, approver_id, decision, comment, at) "
            f"SELECT p.id, {self.actor('pa.actor', 'pa.n', two)}, pa.decision, "
            f"(CASE WHEN pa.decision = 'returned' THEN tp.returned ELSE '' END), "
            f"{self.ts(self.at_step('pa.c', 'pa.n'))} FROM proposals p "
            "JOIN demo_case dc ON dc.i = p.case_id JOIN demo_day dy ON dy.d = dc.r "
            "JOIN demo_tpl tp ON tp.t = dc.t "
            f"JOIN demo_appr pa ON pa.pid = dc.pid AND pa.pst = p.status "
            f"AND (pa.cond = {ALWAYS} OR {two} = 1) WHERE p.id > {after} ORDER BY p.id, pa.n"
        )

    def surveys(self) -> str:
        return (
            "INSERT INTO surveys (case_id, score, solved, comments, answered, recorded_by, at) "
            f"SELECT dc.i, dc.score, (dc.score >= 4), "
            f"(CASE WHEN dc.score >= 4 THEN tp.survey_good ELSE tp.survey_bad END), (1 = 1), "
            f"{self.actor(str(AGENT), 'pk.n_fu')}, {self.ts(self.at_step('pk.c_fu', 'pk.n_fu'))} "
            f"{self.FROM}JOIN demo_pick pk ON pk.k = dc.pkk WHERE dc.score IS NOT NULL "
            "ORDER BY dc.i"
        )


# -- the small tables the statements join ------------------------------------------------------

TEMP_TABLES: dict[str, str] = {
    "demo_day": "d INTEGER PRIMARY KEY, ymd TEXT, num TEXT, so TEXT, month TEXT, e0 BIGINT, first_id BIGINT, n BIGINT, "
                "step BIGINT, bucket INTEGER, "
                + ", ".join(f"w{j} BIGINT" for j in range(WORDS)) + ", "
                + ", ".join(f"s{j} BIGINT" for j in range(WORDS)),
    "demo_name": "k INTEGER PRIMARY KEY, name TEXT, tok TEXT",
    "demo_tpl": "t INTEGER PRIMARY KEY, " + ", ".join(
        f"{c} {'BIGINT' if c in ('amount',) else 'INTEGER' if c in ('lang', 'dept_idx', 'danger', 'sev_lo', 'sev_n', 'has_product', 'batch', 'hot', 'money', 'start', 'share', 'nl', 'cbase', 'cn', 'ca', 'cs', 'cf', 'dbase', 'dn', 'pbase', 'pn') else 'TEXT'}"
        for c in (
            "lang", "category", "dept", "dept_idx", "danger", "sev_lo", "sev_n", "product",
            "has_product", "batch", "hot", "description", "request", "remedy", "money", "amount",
            "fishbone", "cause_what", "cause_why", "cause_where", "cause_who", "cause_how",
            "cause_how_much", "proposal", "implementation", "accountability", "prevention",
            "not_founded", "survey_good", "survey_bad", "returned", "refused", "closed", "tokens",
            "d_assign", "d_cause", "d_prop1", "d_prop2", "d_appr11", "d_appr12", "d_appr22",
            "start", "share", "nl", "cbase", "cn", "ca", "cs", "cf", "dbase", "dn", "pbase", "pn",
        )
    ),
    "demo_case": "i INTEGER PRIMARY KEY, r INTEGER, t INTEGER, pkk INTEGER, pid INTEGER, "
                 "k BIGINT, urg INTEGER, sev INTEGER, amt BIGINT, amt_hi BIGINT, two INTEGER, "
                 "two_hi INTEGER, loc BIGINT, reg BIGINT, registrar INTEGER, handler INTEGER, "
                 "hs BIGINT, h4 BIGINT, chan TEXT, mood TEXT, score INTEGER, d_reg TEXT, "
                 "d_score TEXT",
    "demo_pick": "k INTEGER PRIMARY KEY, pid INTEGER, status TEXT, version INTEGER, two INTEGER, "
                 "validity TEXT, closure TEXT, assigned INTEGER, cause INTEGER, "
                 "implemented INTEGER, remedy_on INTEGER, score INTEGER, closing INTEGER, "
                 "c_assign INTEGER, n_assign INTEGER, c_impl INTEGER, n_impl INTEGER, "
                 "c_close INTEGER, n_close INTEGER, c_fu INTEGER, n_fu INTEGER, "
                 "c_last INTEGER, n_last INTEGER",
    "demo_step": "pid INTEGER, n INTEGER, action TEXT, from_s TEXT, to_s TEXT, actor INTEGER, "
                 "c INTEGER, cond INTEGER, vis TEXT, mult INTEGER, comment INTEGER, "
                 "details INTEGER, fixed TEXT, PRIMARY KEY (pid, n)",
    "demo_prop": "pid INTEGER, pno INTEGER, status TEXT, c INTEGER, n INTEGER, mult INTEGER, "
                 "PRIMARY KEY (pid, pno)",
    "demo_appr": "pid INTEGER, pst TEXT, n INTEGER, c INTEGER, decision TEXT, actor INTEGER, "
                 "cond INTEGER, mult INTEGER, PRIMARY KEY (pid, pst, n)",
}


def _table_columns(table: str) -> list[str]:
    definition = TEMP_TABLES[table].split(", PRIMARY KEY")[0]
    return [part.split()[0] for part in definition.split(",")]


def profile_rows(profs: list[Profile]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of demo_step, demo_prop and demo_appr: what each profile's timeline holds."""
    steps, props, apprs = [], [], []
    for prof in profs:
        before: Status | None = None
        proposal: dict[str, Any] | None = None
        proposals: list[dict[str, Any]] = []
        for n, (step, c) in enumerate(prof.steps):
            mult = 100
            if step.action is Action.PROPOSE:
                # A proposal that the supervisor sends back asked for too much.
                returned_later = any(s.action is Action.RETURN for s, _ in prof.steps[n + 1:n + 2])
                proposal = {"c": c, "n": n, "mult": 150 if returned_later else 100,
                            "status": ProposalStatus.PENDING, "approvals": []}
                proposals.append(proposal)
            if proposal is not None and step.action in (Action.APPROVE, Action.RETURN,
                                                       Action.CUSTOMER_ANSWER, Action.IMPLEMENT):
                mult = proposal["mult"]
            if proposal is not None:
                if step.action is Action.APPROVE:
                    proposal["approvals"].append((n, c, "approved", step.actor, step.when))
                    if step.to is Status.APPROVED:
                        proposal["status"] = ProposalStatus.APPROVED
                elif step.action is Action.RETURN:
                    proposal["approvals"].append((n, c, "returned", step.actor, step.when))
                    proposal["status"] = ProposalStatus.RETURNED
                elif step.action is Action.CUSTOMER_ANSWER:
                    proposal["status"] = (ProposalStatus.ACCEPTED if step.to is Status.IMPLEMENTING
                                          else ProposalStatus.REFUSED)
            visibility = "customer" if step.action in (Action.CUSTOMER_ANSWER, Action.FOLLOW_UP) else "internal"
            comment, details, fixed = _step_texts(step)
            steps.append((prof.pid, n, step.action.value, before and before.value,
                          step.to.value, step.actor, c, step.when, visibility, mult,
                          comment, details, fixed))
            if step.when != IF_URGENT:
                before = step.to
        for pno, p in enumerate(proposals):
            props.append((prof.pid, pno, p["status"].value, p["c"], p["n"], p["mult"]))
            for n, c, decision, actor, when in p["approvals"]:
                apprs.append((prof.pid, p["status"].value, n, c, decision, actor, when, p["mult"]))
    return {"demo_step": steps, "demo_prop": props, "demo_appr": apprs}


# What an event's comment and details hold, by kind; the events statement fills them in.
COMMENTS = ("''", "tp.not_founded", f"'{URGENT_AT_REGISTRATION}'", "tp.proposal", "tp.returned",
            "tp.refused", "tp.implementation", "tp.survey_good", "tp.survey_bad", "tp.closed")
DETAILS = ("fixed", "channel", "department", "fishbone", "proposal", "approval", "score")


def _step_texts(step: Step) -> tuple[int, int, str]:
    """(comment kind, details kind, fixed details) of a step."""
    a, to = step.action, step.to
    comment = {
        Action.DECIDE_VALIDITY: "tp.not_founded", Action.ESCALATE: f"'{URGENT_AT_REGISTRATION}'",
        Action.PROPOSE: "tp.proposal", Action.RETURN: "tp.returned",
        Action.IMPLEMENT: "tp.implementation", Action.CLOSE: "tp.closed",
        Action.CUSTOMER_ANSWER: "tp.refused" if to is Status.INVESTIGATING else "''",
        Action.FOLLOW_UP: "tp.survey_good" if to is Status.CLOSED else "tp.survey_bad",
    }.get(a, "''")
    details = {
        Action.REGISTER: "channel", Action.ASSIGN: "department", Action.RECORD_CAUSE: "fishbone",
        Action.PROPOSE: "proposal", Action.APPROVE: "approval", Action.FOLLOW_UP: "score",
    }.get(a, "fixed")
    fixed = "{}"
    if a is Action.DECIDE_VALIDITY:
        fixed = '{"validity": "not_founded"}'
    elif a is Action.CUSTOMER_ANSWER:
        fixed = '{"agrees": %s}' % ("true" if to is Status.IMPLEMENTING else "false")
    return COMMENTS.index(comment), DETAILS.index(details), fixed


def pick_rows(profs: list[Profile]) -> list[tuple[Any, ...]]:
    """demo_pick: for each age bucket, SLOTS rows naming a profile in proportion to its share."""
    rows = []
    for b, least in enumerate(BUCKETS):
        weights: list[tuple[Profile, float]] = []
        for name, shares in SHARES.items():
            share = shares[b]
            fitting = [(p, PACES[pace][1]) for p, pace in zip(
                [p for p in profs if p.name == name], PACES, strict=True) if p.span <= least]
            total = sum(w for _, w in fitting)
            weights += [(p, share * w / total) for p, w in fitting if share > 0]
        whole = sum(w for _, w in weights)
        counts = [int(SLOTS * w / whole) for _, w in weights]
        rest = sorted(range(len(weights)), key=lambda j: -(SLOTS * weights[j][1] / whole - counts[j]))
        for j in rest[: SLOTS - sum(counts)]:
            counts[j] += 1
        x = 0
        for (prof, _w), count in zip(weights, counts, strict=True):
            for _ in range(count):
                rows.append((b * SLOTS + x, *_profile_columns(prof)))
                x += 1
    return rows


def _profile_columns(prof: Profile) -> tuple[Any, ...]:
    actions = [s.action for s, _ in prof.steps]
    status = prof.status
    not_founded = Action.DECIDE_VALIDITY in actions
    reopened = status is Status.REOPENED
    assigned = Action.ASSIGN in actions
    c_assign, n_assign = (prof.last(Action.FOLLOW_UP) if reopened else prof.last(Action.ASSIGN))
    c_impl, n_impl = prof.last(Action.IMPLEMENT)
    c_fu, n_fu = prof.last(Action.FOLLOW_UP)
    closing = status is Status.CLOSED
    c_close, n_close = (len(prof.steps) and prof.steps[-1][1], len(prof.steps) - 1) if closing else (0, 0)
    remedy_on = False
    for s, _ in prof.steps:
        if s.action is Action.APPROVE and s.to is Status.APPROVED:
            remedy_on = True
        if s.action is Action.CUSTOMER_ANSWER and s.to is Status.INVESTIGATING:
            remedy_on = False
    score = 0
    if Action.FOLLOW_UP in actions:
        score = 1 if prof.last(Action.FOLLOW_UP, Status.CLOSED)[1] else 2
    closure = None
    if not_founded:
        closure = Closure.NOT_FOUNDED.value
    elif closing:
        closure = (Closure.BY_SUPERVISOR if actions[-1] is Action.CLOSE else Closure.SATISFIED).value
    validity = (Validity.NOT_FOUNDED if not_founded else Validity.UNDECIDED
                if status is Status.REGISTERED else Validity.FOUNDED).value
    bumps = sum(1 for s, _ in prof.steps[1:] if s.when == ALWAYS)
    two = any(s.when == IF_TWO_APPROVALS for s, _ in prof.steps)
    last_n = max(n for n, (s, _) in enumerate(prof.steps) if s.when == ALWAYS)
    return (prof.pid, status.value, 1 + bumps, int(two), validity, closure, int(assigned),
            int(Action.RECORD_CAUSE in actions), int(Action.IMPLEMENT in actions), int(remedy_on),
            score, int(closing), c_assign, n_assign, c_impl, n_impl, c_close, n_close, c_fu, n_fu,
            prof.steps[last_n][1], last_n)


# -- users ---------------------------------------------------------------------------------------


def _wanted_users(login: str | None) -> list[tuple[str, str, Role, str | None, str]]:
    """(name, display name, role, department, pool)."""
    wanted: list[tuple[str, str, Role, str | None, str]] = [
        (n, d, Role.AGENT, None, "agents") for n, d in AGENTS
    ]
    for dept in DEPARTMENTS:
        wanted += [(n, d, Role.HANDLER, dept, f"handlers:{dept}") for n, d in HANDLERS[dept]]
    wanted += [(n, d, Role.SUPERVISOR, None, "supervisors") for n, d in SUPERVISORS]
    wanted += [(n, d, Role.MANAGER, None, "managers") for n, d in MANAGERS]
    wanted += [(n, d, Role.ADMIN, None, "admins") for n, d in ADMINS]
    if login:
        wanted.append((login, login, Role.SUPERVISOR, None, "supervisors"))
    return wanted


# -- running it ----------------------------------------------------------------------------------


class _Loader:
    """Runs the statements on the DBAPI connection, in one transaction."""

    def __init__(self, dbapi: Any, sqlite: bool) -> None:
        self.dbapi = dbapi
        self.sqlite = sqlite
        self.cur = dbapi.cursor()
        self.param = "?" if sqlite else "%s"

    def run(self, sql: str, what: str = "") -> int:
        started = time.perf_counter()
        self.cur.execute(sql)
        count = self.cur.rowcount
        if what:
            log.debug("%s: %s rows in %.2fs", what, count, time.perf_counter() - started)
        return int(count or 0)

    def value(self, sql: str) -> Any:
        self.cur.execute(sql)
        row = self.cur.fetchone()
        return row[0] if row else None

    def create(self, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
        suffix = "" if self.sqlite else " ON COMMIT DROP"
        self.cur.execute(f"CREATE TEMP TABLE {table} ({TEMP_TABLES[table]}){suffix}")
        self.insert(table, _table_columns(table), rows)

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        if self.sqlite:
            marks = ", ".join([self.param] * len(columns))
            self.cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                 rows)
            return
        with self.cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _users(loader: _Loader, login: str | None, now: datetime) -> dict[str, list[int]]:
    existing = {name: (uid, role, dept) for uid, name, role, dept in _fetch(
        loader, "SELECT id, name, role, department_code FROM users")}
    created = now.strftime("%Y-%m-%d %H:%M:%S.%f") if loader.sqlite else now
    pools: dict[str, list[int]] = {}
    new: list[tuple[Any, ...]] = []
    chosen: list[tuple[str, str]] = []
    for name, display, role, dept, pool in _wanted_users(login):
        candidate, suffix = name, 1
        while candidate in existing and (existing[candidate][1], existing[candidate][2]) != (
            role.value, dept
        ):
            if candidate == login:
                break  # the person's own account stays as it is; they are just not in a pool
            suffix += 1
            candidate = f"{name}{suffix}"
        if candidate not in existing:
            new.append((candidate, display, role.value, dept, True, created))
            existing[candidate] = (0, role.value, dept)
        if existing[candidate][1:] == (role.value, dept):
            chosen.append((candidate, pool))
    loader.insert("users", ("name", "display_name", "role", "department_code", "active",
                            "created_at"), new)
    ids = {name: uid for uid, name, *_ in _fetch(loader, "SELECT id, name, role, department_code FROM users")}
    for name, pool in chosen:
        pools.setdefault(pool, []).append(ids[name])
    for members in pools.values():
        members.sort()
    return pools


def _fetch(loader: _Loader, sql: str) -> list[tuple[Any, ...]]:
    loader.cur.execute(sql)
    return [tuple(r) for r in loader.cur.fetchall()]


def generate(
    desk: Desk,
    cases: int,
    *,
    seed: int = 7,
    login: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> DemoReport:
    """Fill an empty, migrated database with ``cases`` demo cases and everything around them.

    Refuses (DeskError "database_not_empty") when the database already holds a case, and
    (DeskError "demo_cases") a number of cases below 0 or above :data:`MAX_CASES`. Demo users
    of every role are added when missing, and ``login`` as a supervisor.
    """
    check_cases(cases)
    started = time.perf_counter()
    engine = desk.engine
    sqlite = engine.dialect.name == "sqlite"
    now = datetime.now(UTC)
    plan = make_plan(desk, cases, seed, now)
    raw = engine.raw_connection()
    loader = _Loader(raw.driver_connection, sqlite)
    build: SearchBuild | None = None
    try:
        _refuse_cases(loader)
        with _bulk_settings(loader), _search_build(loader, plan) as build, _transaction(loader):
            written = _fill(loader, desk, plan, login, now, progress, build)
        if sqlite:
            if loader.value("PRAGMA journal_mode") == "wal":
                # The load went through the write-ahead log; give its space back.
                loader.run("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            for table in ("cases", "customers", "case_events", "proposals", "approvals",
                          "surveys", "case_search"):
                loader.run(f"ANALYZE {table}")
            loader.dbapi.commit()
    finally:
        if build is not None and build.copied:
            # This connection's FTS5 module may still hold the index structure it read before
            # the shadow tables were replaced under it; let the pool open a fresh one.
            raw.invalidate()
        raw.close()
    return DemoReport(*written, seconds=time.perf_counter() - started)


def check_cases(cases: int) -> None:
    """DeskError "demo_cases" unless 0 ≤ ``cases`` ≤ :data:`MAX_CASES`."""
    if not 0 <= cases <= MAX_CASES:
        raise DeskError("demo_cases", cases=cases, max=MAX_CASES)


@contextmanager
def _bulk_settings(loader: _Loader) -> Iterator[None]:
    """SQLite settings for a bulk load, and back to what they were afterwards."""
    if not loader.sqlite:
        yield
        return
    pragmas = ("foreign_keys", "synchronous", "cache_size", "temp_store")
    saved = {p: int(loader.value(f"PRAGMA {p}")) for p in pragmas}
    journal = loader.value("PRAGMA journal_mode")
    # With a rollback journal the new pages are written once, not to the log and again to the
    # file; the journal holds only the few pages an empty database had. Needs the database to
    # itself: with another connection open the mode stays as it is.
    switched = False
    if journal == "wal":
        timeout = loader.value("PRAGMA busy_timeout")
        loader.run("PRAGMA busy_timeout=0")
        try:
            switched = loader.value("PRAGMA journal_mode=DELETE") == "delete"
        except loader.dbapi.OperationalError:
            switched = False
        finally:
            loader.run(f"PRAGMA busy_timeout={int(timeout)}")
    # Foreign keys are checked by the tests on the result, not on each of millions of rows.
    for pragma, value in (("foreign_keys", 0), ("synchronous", 0), ("cache_size", -2_000_000),
                          ("temp_store", 2)):
        loader.run(f"PRAGMA {pragma}={value}")
    try:
        yield
    finally:
        for pragma, value in saved.items():
            loader.run(f"PRAGMA {pragma}={value}")
        if switched:
            loader.run(f"PRAGMA journal_mode={journal}", "journal back")


@contextmanager
def _transaction(loader: _Loader) -> Iterator[None]:
    """All of the demo or nothing."""
    if loader.sqlite:
        # Not BEGIN IMMEDIATE: that would also lock the attached search-build file, which the
        # builder thread is about to write. A write to main takes main's lock right away.
        loader.run("BEGIN")
        loader.run("DELETE FROM main.case_counters WHERE 0")
    else:
        loader.run("LOCK TABLE cases IN EXCLUSIVE MODE")
    try:
        yield
    except BaseException:
        if not loader.sqlite:
            loader.dbapi.rollback()
        elif loader.dbapi.in_transaction:
            loader.run("ROLLBACK")
        raise
    if loader.sqlite:
        loader.run("COMMIT", "commit")
    else:
        loader.dbapi.commit()


FTS_LOAD = {"automerge": 0, "hashsize": 256 * 1024 * 1024}
FTS_DEFAULTS = {"automerge": 4, "hashsize": 1024 * 1024}
SEARCH_BUILD = "search_build"  # schema name of the attached build file


class SearchBuild:
    """SQLite: the search index, built on the other core in a file of its own, then copied in.

    Tokenizing a million complaints is a sixth of the load and needs nothing the other
    statements write, but one SQLite database has one writer. So a second connection, in a
    thread, fills an identical FTS5 table in a temporary file next to the database (working
    out the cases' choices itself, with the same statements), while the main connection writes
    everything else. At the end the main connection copies the table's shadow tables in with
    ``INSERT … SELECT *``, which SQLite turns into a copy of the stored records, index pages
    included: a fraction of a second per 100,000 cases instead of three. The copy is made
    before the commit, so the demo stays all or nothing.
    """

    def __init__(self, path: str, create: str, shadows: list[str]) -> None:
        self.path = path
        self.create = create  # the CREATE VIRTUAL TABLE statement of case_search
        self.shadows = shadows  # case_search_data, _idx, _content, _docsize, _config
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        self.copied = False

    def start(self, sql: Sql, tables: dict[str, list[tuple[Any, ...]]]) -> None:
        self.thread = threading.Thread(target=self._build, args=(sql, tables),
                                       name="demo-search", daemon=True)
        self.thread.start()

    def _build(self, sql: Sql, tables: dict[str, list[tuple[Any, ...]]]) -> None:
        dbapi = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            loader = _Loader(dbapi, sqlite=True)
            # A scratch file: nothing to recover if this fails, the main load fails with it.
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-500000",
                           "temp_store=2"):
                loader.run(f"PRAGMA {pragma}")
            loader.run(self.create)
            for key, value in FTS_LOAD.items():
                loader.run(f"INSERT INTO case_search (case_search, rank) VALUES ('{key}', {value})")
            for table, rows in tables.items():
                loader.create(table, rows)
            loader.run("BEGIN")
            for lo in range(1, sql.plan.n + 1, CHUNK):
                if self.stop.is_set():
                    return
                loader.run("DELETE FROM demo_case")
                hi = min(sql.plan.n, lo + CHUNK - 1)
                loader.run(sql.choices(lo, hi, only=("i", "t", "k")), f"search choices {lo}-{hi}")
                loader.run(sql.search(), "search")
            for key, value in FTS_DEFAULTS.items():
                loader.run(f"INSERT INTO case_search (case_search, rank) VALUES ('{key}', {value})")
            loader.run("COMMIT")
        except BaseException as error:  # handed to the main thread by finish()
            self.error = error
        finally:
            dbapi.close()

    def finish(self, loader: _Loader) -> None:
        """Wait for the builder and copy its index into the main database."""
        if self.thread is not None:
            started = time.perf_counter()
            self.thread.join()
            log.debug("search wait: 0 rows in %.2fs", time.perf_counter() - started)
        if self.error is not None:
            raise self.error
        for table in self.shadows:
            loader.run(f"DELETE FROM main.{table}")
            loader.run(f"INSERT INTO main.{table} SELECT * FROM {SEARCH_BUILD}.{table}",
                       "search copy")
        self.copied = True


@contextmanager
def _search_build(loader: _Loader, plan: Plan) -> Iterator[SearchBuild | None]:
    """A SearchBuild when the database is an SQLite file, attached to the main connection."""
    main = ""
    if loader.sqlite:
        main = next((row[2] for row in _fetch(loader, "PRAGMA database_list")
                     if row[1] == "main"), "")
    if not main or not plan.n:
        yield None  # PostgreSQL, or an in-memory database: the search rows go in directly
        return
    create = str(loader.value("SELECT sql FROM sqlite_master WHERE name = 'case_search'"))
    shadows = [row[0] for row in _fetch(
        loader, "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name GLOB 'case_search_*' ORDER BY name")]
    remove_stale_scratch_files(main)
    handle, path = scratch_file(main)  # an empty file is an empty database
    try:
        build = SearchBuild(path, create, shadows)
        # Attached now, because SQLite refuses to attach inside a transaction; the main
        # connection touches the file only in finish(), after the builder closed it.
        loader.run(f"ATTACH DATABASE '{path.replace(chr(39), chr(39) * 2)}' AS {SEARCH_BUILD}")
        try:
            yield build
        finally:
            build.stop.set()
            if build.thread is not None:
                build.thread.join()
            loader.run(f"DETACH DATABASE {SEARCH_BUILD}")
    finally:
        os.unlink(path)
        # Closed last: closing a descriptor of a file drops the POSIX locks SQLite holds on it.
        os.close(handle)


def _scratch_pattern(main: str) -> str:
    """The scratch files of the database ``main``: "<main>.XXXXXXXX.search", in its folder."""
    return glob.escape(main) + ".*.search"


def scratch_file(main: str) -> tuple[int, str]:
    """A new, empty scratch file next to the database ``main``, and a descriptor of it that holds
    a lock on it for as long as it is open, which says "in use" to :func:`remove_stale_scratch_files`.

    The lock goes with the process however it ends; the file does not when the process is
    killed (SIGKILL cannot be caught; SIGTERM, SIGHUP and SIGINT are, by the command line), so the
    next demo on the database removes it.
    """
    while True:
        handle, path = tempfile.mkstemp(prefix=os.path.basename(main) + ".", suffix=".search",
                                        dir=os.path.dirname(main))
        if fcntl is None:
            return handle, path
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if os.stat(path).st_ino == os.fstat(handle).st_ino:
                return handle, path
        except FileNotFoundError:
            pass
        # Another demo removed it between its creation and our lock: it was not in use yet.
        os.close(handle)


def remove_stale_scratch_files(main: str) -> None:
    """Remove the scratch files of the database ``main`` that no running demo uses: those left by
    a demo that was killed."""
    for path in glob.glob(_scratch_pattern(main)):
        if fcntl is None:  # Windows: a file still open cannot be removed
            with contextlib.suppress(OSError):
                os.unlink(path)
            continue
        try:
            handle = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # locked: a demo is using it
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
                log.debug("removed the stale scratch file %s", path)
        finally:
            os.close(handle)


def _refuse_cases(loader: _Loader) -> None:
    if loader.value("SELECT count(*) FROM (SELECT id FROM cases LIMIT 1) AS c"):
        if not loader.sqlite:
            loader.dbapi.rollback()
        raise DeskError("database_not_empty")


def _fill(loader: _Loader, desk: Desk, plan: Plan, login: str | None, now: datetime,
          progress: Callable[[int], None] | None,
          build: SearchBuild | None = None) -> tuple[int, int, int]:
    _refuse_cases(loader)  # again, now that the database is ours
    pools = _users(loader, login, now)
    first_customer = int(loader.value("SELECT coalesce(max(id), 0) FROM customers")) + 1
    sql = Sql(plan, loader.sqlite, int(desk.settings.approval_threshold * 100),
              desk.settings.deadlines, pools, first_customer)
    tpl_columns = _table_columns("demo_tpl")[1:]
    tables = {
        "demo_day": plan.day_rows,
        "demo_name": plan.names,
        "demo_tpl": [(t, *(row[c] for c in tpl_columns)) for t, row in enumerate(plan.templates)],
        "demo_pick": pick_rows(plan.profiles),
        "demo_case": [],
    }
    if build is not None:
        build.start(sql, dict(tables))  # a copy: this thread adds to tables
    tables.update(profile_rows(plan.profiles))
    for table, rows in tables.items():
        loader.create(table, rows)

    day = {name: j for j, name in enumerate(_table_columns("demo_day"))}
    created = plan.day_rows[0][day["e0"]] + OPENING if plan.day_rows else int(now.timestamp())
    customers = 0
    if plan.n:
        for lang in LANGS:
            customers += loader.run(sql.customers(lang, created), f"customers {lang}")
    if loader.sqlite and build is None:
        for key, value in FTS_LOAD.items():
            loader.run(f"INSERT INTO case_search (case_search, rank) VALUES ('{key}', {value})")
    events = 0
    chunk = CHUNK if loader.sqlite else PG_CHUNK
    for lo in range(1, plan.n + 1, chunk):
        hi = min(plan.n, lo + chunk - 1)
        loader.run("DELETE FROM demo_case")
        loader.run(sql.choices(lo, hi), f"choices {lo}-{hi}")
        loader.run(sql.cases(), "cases")
        if build is None:
            loader.run(sql.search(), "search")
        events += loader.run(sql.events(), "events")
        proposed = int(loader.value("SELECT coalesce(max(id), 0) FROM proposals"))
        loader.run(sql.proposals(), "proposals")
        loader.run(sql.approvals(proposed), "approvals")
        loader.run(sql.surveys(), "surveys")
        if progress is not None:
            progress(hi)
    if build is not None:
        build.finish(loader)
    elif loader.sqlite:
        for key, value in FTS_DEFAULTS.items():
            loader.run(f"INSERT INTO case_search (case_search, rank) VALUES ('{key}', {value})",
                       f"search index {key}")
    # Later registrations on these days continue after the demo's numbers.
    counters = [(row[day["ymd"]], row[day["n"]]) for row in plan.day_rows if row[day["n"]]]
    larger = ("CASE WHEN case_counters.last > excluded.last THEN case_counters.last "
              "ELSE excluded.last END")
    p = loader.param
    loader.cur.executemany(
        f"INSERT INTO case_counters (day, last) VALUES ({p}, {p}) "
        f"ON CONFLICT (day) DO UPDATE SET last = {larger}", counters)
    if not loader.sqlite and plan.n:
        for table in ("cases", "customers"):
            loader.run(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT max(id) FROM {table}))")
    if loader.sqlite:
        for table in TEMP_TABLES:
            loader.run(f"DROP TABLE temp.{table}")
    return plan.n, customers, events
