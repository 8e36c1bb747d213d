"""What the demo's people say and are called: complaint texts, customer names, the desk's staff.

Data only; the plan (plan.py) draws from it and the statements (sql.py) write it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kesu_desk.domain.vocabulary import DEFAULT_DEPARTMENTS, Fishbone, Remedy

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

# The departments the seeds' organisations add to the seven defaults (the water-purifier maker's
# R&D, production, warehouse, PE and planning; seed 002): departments are data (issue 13).
SEED_DEPARTMENTS: tuple[tuple[str, str, str, str], ...] = (
    ("RND", "研发部", "R&D", "I+D"),
    ("PROD", "生产部", "Production", "Producción"),
    ("WH", "仓库", "Warehouse", "Almacén"),
    ("PE", "工程部", "Process Engineering", "Ingeniería de Procesos"),
    ("PLAN", "计划部", "Planning", "Planificación"),
)

# The stores of the seeds' chains (the Spanish store chain, the restaurant group) and their store
# managers, who approve refunds and compensation up to the store's limit (issue 13).
DEMO_STORES: tuple[tuple[str, str, str, int], ...] = (
    ("SH01", "上海南京路店", "上海", 50_000),
    ("BJ-R1", "北京王府井餐厅", "北京", 30_000),
    ("MAD1", "Tienda Madrid Centro", "Madrid", 30_000),
)
STORE_MANAGERS: tuple[tuple[str, str, str], ...] = (
    ("dian.zhang", "张店长", "SH01"),
    ("can.wang", "王经理", "BJ-R1"),
    ("lucia.gomez", "Lucía Gómez", "MAD1"),
)
