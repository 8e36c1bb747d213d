"""What the demo's people say and are called: complaint texts, customer names, the desk's staff.

Data only; the plan (plan.py) draws from it and the statements (sql.py) write it.

A complaint is a fault of one kind of offering: a kettle leaks, a dish comes with a hair in it, a
hotel room has no hot water, an agent hangs up. Each offering says what it has (traits: a power
cord, a screen, it is food, it is shipped …) and each fault what it needs; the plan combines only
faults with offerings that have all they need (issue 15). A fault is one complaint told in
Chinese, English and Spanish, with the remedies that put it right; its category names the
department, so the remedies and departments of closed demo cases follow the fault.
"""

from __future__ import annotations

from dataclasses import dataclass

from kesu_desk.domain.vocabulary import DEFAULT_DEPARTMENTS, Fishbone, Remedy

# -- what the complaints are about ---------------------------------------------------------------

LANGS = ("zh", "en", "es")
# Of every 100 cases: mostly Chinese, some English and Spanish.
LANG_SHARE = {"zh": 85, "en": 8, "es": 7}
BRAND = {"zh": "禾风", "en": "Hefeng", "es": "Hefeng"}
MODELS = ("30A", "52S", "80X")

# Where an offering is sold or served: who investigates, what a remedy looks like.
FACTORY, FOOD, BOOKS, RESTAURANT, HOTEL, STORE, HOTLINE = (
    "factory", "food", "books", "restaurant", "hotel", "store", "hotline")


@dataclass(frozen=True)
class Offering:
    """What a complaint is about: a kind of product, a dish, a hotel room, or a place (no product)."""

    key: str
    setting: str
    item: tuple[str, str, str]  # what the customer calls it (zh, en, es)
    traits: frozenset[str]  # what it has: the faults that can happen to it
    price: int = 200  # yuan
    prefix: str = ""  # model prefix: the demo's own products come in MODELS
    names: tuple[tuple[str, str, str], ...] = ()  # product names when not made from the prefix

    def products(self) -> tuple[tuple[str, str, str], ...]:
        """The product names a case records (zh, en, es); () for a place."""
        if not self.prefix:
            return self.names
        zh, en, es = self.item
        return tuple((f"{BRAND['zh']}{zh} {self.prefix}-{m}", f"{BRAND['en']} {en.title()} {self.prefix}-{m}",
                      f"{es.capitalize()} {BRAND['es']} {self.prefix}-{m}") for m in MODELS)


def _traits(words: str) -> frozenset[str]:
    return frozenset(words.split())


_APPLIANCE = "goods shipped electric casing colour parts"
OFFERINGS: tuple[Offering, ...] = (
    Offering("rice_cooker", FACTORY, ("电饭煲", "rice cooker", "arrocera"),
             _traits(f"{_APPLIANCE} cord coating panel capacity"), 399, "RC"),
    Offering("kettle", FACTORY, ("电水壶", "electric kettle", "hervidor eléctrico"),
             _traits(f"{_APPLIANCE} cord water capacity"), 129, "KT"),
    Offering("washer", FACTORY, ("洗衣机", "washing machine", "lavadora"),
             _traits(f"{_APPLIANCE} cord water panel capacity installed"), 2899, "WM"),
    Offering("fridge", FACTORY, ("冰箱", "refrigerator", "frigorífico"),
             _traits(f"{_APPLIANCE} cord water capacity installed"), 3999, "FR"),
    # The water-purifier maker of seed 002: its purifiers take filters (spare parts, products.py).
    Offering("purifier", FACTORY, ("净水器", "water purifier", "purificador de agua"),
             _traits("goods shipped electric casing parts cord water panel capacity installed filter"), 2699,
             names=(("禾风反渗透净水器 RO-400", "Hefeng RO-400 water purifier", "Purificador de agua Hefeng RO-400"),
                    ("禾风反渗透净水器 RO-600", "Hefeng RO-600 water purifier", "Purificador de agua Hefeng RO-600"),
                    ("禾风超滤净水器 UF-200", "Hefeng UF-200 ultrafiltration purifier", "Purificador Hefeng UF-200"))),
    Offering("laptop", FACTORY, ("笔记本电脑", "laptop", "portátil"),
             _traits(f"{_APPLIANCE} screen battery keyboard charger software"), 5999, "NB"),
    Offering("earbuds", FACTORY, ("蓝牙耳机", "wireless earbuds", "auriculares inalámbricos"),
             _traits("goods shipped electric colour battery charger"), 499, "EB"),
    Offering("vacuum", FACTORY, ("无线吸尘器", "cordless vacuum cleaner", "aspiradora sin cable"),
             _traits(f"{_APPLIANCE} battery charger"), 1599, "VC"),
    Offering("book", BOOKS, ("图书", "book", "libro"), _traits("shipped printed"), 68,
             names=(("《家常菜谱大全》", "Everyday Home Cooking", "Cocina casera de cada día"),
                    ("《儿童科普百科》", "The Children's Science Encyclopedia", "Enciclopedia de ciencia para niños"),
                    ("《Python 编程入门》", "Python Programming for Beginners", "Programación en Python para principiantes"))),
    Offering("dumplings", FOOD, ("速冻水饺", "frozen dumplings", "empanadillas congeladas"),
             _traits("food packaged shipped"), 39, "FD"),
    Offering("mooncakes", FOOD, ("月饼礼盒", "mooncake gift box", "caja de pasteles de luna"),
             _traits("food packaged shipped"), 268, "MC"),
    Offering("yogurt", FOOD, ("酸奶", "yogurt", "yogur"), _traits("food packaged shipped"), 15, "YG"),
    # The restaurant of seed 004: its dishes (products.py lists them too).
    *(Offering(code, RESTAURANT, item, _traits("food dish"), price, names=(name,))
      for code, item, name, price in (
          ("D-101", ("宫保鸡丁", "Kung Pao chicken", "pollo Kung Pao"),
           ("宫保鸡丁", "Kung Pao chicken", "Pollo Kung Pao"), 48),
          ("D-102", ("水煮鱼", "Sichuan boiled fish", "pescado hervido de Sichuan"),
           ("水煮鱼", "Sichuan boiled fish", "Pescado hervido de Sichuan"), 88),
          ("D-103", ("麻婆豆腐", "mapo tofu", "tofu Mapo"), ("麻婆豆腐", "Mapo tofu", "Tofu Mapo"), 32),
          ("D-104", ("北京烤鸭", "Peking duck", "pato laqueado"),
           ("北京烤鸭（半只）", "Peking duck (half)", "Pato laqueado (medio)"), 128),
          ("D-105", ("扬州炒饭", "Yangzhou fried rice", "arroz frito Yangzhou"),
           ("扬州炒饭", "Yangzhou fried rice", "Arroz frito Yangzhou"), 28),
      )),
    Offering("room", HOTEL, ("客房", "room", "habitación"), _traits("room"), 480,
             names=(("标准双床房", "Standard twin room", "Habitación doble estándar"),
                    ("豪华大床房", "Deluxe king room", "Habitación de lujo con cama grande"))),
    # Places: the complaint is about the service itself, and no product is recorded.
    Offering("store", STORE, ("门店", "shop", "tienda"), _traits("store")),
    Offering("hotline", HOTLINE, ("客服热线", "hotline", "línea de atención"), _traits("hotline")),
    Offering("restaurant", RESTAURANT, ("餐厅", "restaurant", "restaurante"), _traits("restaurant")),
    Offering("hotel", HOTEL, ("酒店", "hotel", "hotel"), _traits("hotel")),
)
OFFERING = {o.key: o for o in OFFERINGS}


@dataclass(frozen=True)
class Category:
    code: str
    department: str
    weight: int  # share of complaints, per mille
    fishbone: tuple[Fishbone, ...]
    severities: tuple[int, int]  # lowest and highest level
    batch: bool  # a production batch is recorded


@dataclass(frozen=True)
class Fault:
    """One complaint, the same in every language, and what an offering must have for it to happen."""

    category: str
    needs: frozenset[str]
    texts: dict[str, str]  # zh, en, es
    remedies: tuple[Remedy, ...]
    danger: bool = False  # safety, injury: critical, and often urgent from the first minute

    def fits(self, offering: Offering) -> bool:
        return self.needs <= offering.traits


R, F = Remedy, Fishbone
CATEGORIES: tuple[Category, ...] = (
    Category("quality_defect", "QA", 150, (F.MATERIAL, F.MACHINE, F.METHOD), (1, 2), True),
    Category("food_quality", "QA", 100, (F.MATERIAL, F.METHOD, F.PEOPLE), (1, 2), True),
    Category("delivery_late", "LOG", 80, (F.METHOD, F.ENVIRONMENT), (0, 1), False),
    Category("transit_damage", "LOG", 50, (F.METHOD, F.PEOPLE), (1, 2), False),
    Category("wrong_or_missing_item", "LOG", 50, (F.PEOPLE, F.METHOD), (0, 1), False),
    Category("repair_service", "AFS", 60, (F.PEOPLE, F.METHOD), (1, 2), False),
    Category("installation_support", "AFS", 40, (F.PEOPLE, F.METHOD), (0, 2), False),
    Category("spare_parts", "AFS", 30, (F.MATERIAL, F.METHOD), (0, 1), False),
    Category("staff_attitude", "CS", 70, (F.PEOPLE,), (0, 2), False),
    Category("waiting_time", "CS", 50, (F.METHOD, F.PEOPLE), (0, 1), False),
    Category("procedure", "CS", 30, (F.METHOD,), (0, 1), False),
    Category("price", "SALES", 40, (F.METHOD,), (0, 1), False),
    Category("not_as_described", "SALES", 40, (F.METHOD, F.MATERIAL), (0, 2), False),
    Category("billing", "FIN", 40, (F.METHOD, F.PEOPLE), (0, 1), False),
    Category("refund_missing", "FIN", 50, (F.METHOD,), (1, 2), False),
    Category("premises", "FAC", 45, (F.ENVIRONMENT,), (0, 1), False),
    Category("cleanliness", "FAC", 40, (F.ENVIRONMENT, F.PEOPLE), (0, 1), False),
    Category("noise", "FAC", 25, (F.ENVIRONMENT,), (0, 1), False),
    Category("other", "CS", 15, (F.METHOD,), (0, 1), False),
)
CATEGORY = {c.code: c for c in CATEGORIES}


def _fault(category: str, needs: str, zh: str, en: str, es: str, remedies: tuple[Remedy, ...],
           danger: bool = False) -> Fault:
    return Fault(category, _traits(needs), {"zh": zh, "en": en, "es": es}, remedies, danger)


EXCHANGE_OR_MONEY = (R.EXCHANGE, R.RETURN, R.REPAIR, R.REFUND)
FAULTS: tuple[Fault, ...] = (
    # -- quality_defect: things that are made, and break
    _fault("quality_defect", "electric",
           "新买的{item}用了不到{n}天就无法开机，按任何键都没有反应，肯定是坏了。",
           "My new {item} stopped working after {n} days and will not switch on at all.",
           "Mi {item} nuevo dejó de funcionar a los {n} días y ya no enciende: no funciona.",
           EXCHANGE_OR_MONEY),
    _fault("quality_defect", "coating",
           "{item}内胆涂层用了{n}周就一块块脱落，这质量让人担心健康。",
           "The non-stick coating of the {item}'s inner pot is peeling off after {n} weeks; poor quality, "
           "and I worry about my health.",
           "El antiadherente de la olla interior de mi {item} se despega a las {n} semanas; mala calidad, "
           "y me preocupa la salud.",
           (R.EXCHANGE, R.RETURN, R.REFUND)),
    _fault("quality_defect", "electric casing",
           "{item}工作时有很大的异响，外壳还有一道裂缝。",
           "The {item} rattles when running and the casing has a crack; it looks defective.",
           "Mi {item} traquetea al funcionar y la carcasa tiene una grieta; parece defectuoso.",
           EXCHANGE_OR_MONEY),
    _fault("quality_defect", "water",
           "{item}底部漏水，把地板都泡坏了。",
           "My {item} leaks water from the bottom and has damaged the floor.",
           "Mi {item} pierde agua por abajo y ha estropeado el suelo.",
           (R.REPAIR, R.EXCHANGE, R.REFUND)),
    _fault("quality_defect", "cord",
           "{item}一插电家里就跳闸，肯定有故障。",
           "The {item} trips the fuse every time it is plugged in; it must be faulty.",
           "Mi {item} hace saltar los plomos cada vez que lo enchufo; está averiado.",
           (R.EXCHANGE, R.REPAIR, R.RETURN)),
    _fault("quality_defect", "panel",
           "收到的{item}按键失灵，显示屏一片乱码。",
           "The control panel of the {item} is faulty: the buttons do not respond and the display shows "
           "nonsense.",
           "El panel de mi {item} está averiado: los botones no responden y la pantalla muestra símbolos raros.",
           (R.REPAIR, R.EXCHANGE)),
    _fault("quality_defect", "electric",
           "{item}用了{n}个月就又出现同样的故障，质量太差。",
           "My {item} has the same fault again after {n} months; the quality is poor.",
           "Mi {item} vuelve a tener la misma avería a los {n} meses; la calidad es muy mala.",
           (R.REPAIR, R.EXCHANGE, R.REFUND)),
    _fault("quality_defect", "screen",
           "{item}屏幕出现好几个坏点，还时不时黑屏。",
           "The {item} screen has dead pixels and keeps going black.",
           "La pantalla de mi {item} tiene píxeles muertos y se apaga sola; está defectuosa.",
           (R.REPAIR, R.EXCHANGE)),
    _fault("quality_defect", "battery",
           "{item}电池续航不到一小时，充满电很快就没了。",
           "The {item} battery lasts less than an hour on a full charge.",
           "La batería de mi {item} dura menos de una hora con la carga completa.",
           (R.REPAIR, R.EXCHANGE)),
    _fault("quality_defect", "keyboard",
           "{item}键盘有{n}个键按下去没反应。",
           "{n} keys on the {item} keyboard do not respond.",
           "{n} teclas del teclado de mi {item} no responden.",
           (R.REPAIR, R.EXCHANGE)),
    _fault("quality_defect", "filter",
           "{item}的滤芯才用了{n}个月就堵了，出水越来越小，质量太差。",
           "The filter of my {item} clogged after only {n} months and the flow keeps dropping; poor quality.",
           "El filtro de mi {item} se atascó a los {n} meses y cada vez sale menos agua; mala calidad.",
           (R.EXCHANGE, R.REPAIR)),
    _fault("quality_defect", "printed",
           "买的{item}有{n}页印刷模糊，还有几页是空白的，印刷质量太差。",
           "{n} pages of the {item} are smudged and a few are blank; poor print quality.",
           "El {item} tiene {n} páginas borrosas y algunas en blanco; la calidad de impresión es muy mala.",
           (R.EXCHANGE, R.REFUND)),
    _fault("quality_defect", "electric casing",
           "{item}使用时突然冒烟起火，孩子差点被烫伤，这是严重的质量问题！",
           "The {item} started smoking and caught fire while in use; my child was nearly burned. "
           "A dangerous defect!",
           "Mi {item} empezó a echar humo y se incendió mientras lo usaba; mi hijo casi se quema. "
           "¡Un defecto peligroso!",
           (R.RETURN, R.REFUND, R.COMPENSATION), danger=True),
    _fault("quality_defect", "cord water",
           "{item}外壳漏电，家人摸到被电了一下，太危险了。",
           "The {item} casing leaks current: my husband got an electric shock touching it.",
           "La carcasa de mi {item} tiene una fuga de corriente: mi marido recibió una descarga eléctrica.",
           (R.RETURN, R.REFUND, R.COMPENSATION), danger=True),
    _fault("quality_defect", "battery",
           "{item}充电时电池鼓包发烫，差点起火，质量太差了！",
           "The {item} battery swelled and overheated while charging; it nearly caught fire!",
           "La batería de mi {item} se hinchó y se calienta al cargar; ¡casi se incendia! Es defectuosa.",
           (R.RETURN, R.REFUND, R.COMPENSATION), danger=True),
    # -- food_quality: packaged food and the restaurant's dishes
    _fault("food_quality", "packaged",
           "买的{item}还没过保质期就变质了，打开一股馊味，根本没法吃。",
           "The {item} had spoiled before the best-before date; the food could not be eaten.",
           "Mi pedido de {item} estaba en mal estado antes de la fecha de caducidad; la comida no se "
           "podía comer.",
           (R.EXCHANGE, R.REFUND)),
    _fault("food_quality", "packaged",
           "吃{item}的时候吃出了一根头发，非常恶心。",
           "I found a hair in the {item} while eating; disgusting food.",
           "Encontré un pelo en {item} mientras comía; una comida asquerosa.",
           (R.EXCHANGE, R.REFUND)),
    _fault("food_quality", "packaged",
           "孩子吃{item}时咬到一小块塑料异物，差点咽下去！",
           "My child found a piece of plastic in the {item} while eating and nearly swallowed it! "
           "This food is dangerous.",
           "Mi hijo encontró un trozo de plástico en {item} mientras comía y casi se lo traga. "
           "¡Esta comida es peligrosa!",
           (R.REFUND, R.COMPENSATION), danger=True),
    _fault("food_quality", "dish",
           "这道{item}里吃出了一根头发，非常恶心。",
           "There was a hair in my {item}; I sent the dish back.",
           "Había un pelo en mi {item}; devolví el plato.",
           (R.EXCHANGE, R.REFUND)),
    _fault("food_quality", "dish",
           "{item}里有一只苍蝇，这菜还怎么吃？",
           "There was a fly in my {item}. How is anyone supposed to eat a dish like that?",
           "Había una mosca en mi {item}. ¿Cómo se come un plato así?",
           (R.EXCHANGE, R.REFUND)),
    _fault("food_quality", "dish",
           "{item}里吃出了钢丝球的碎丝。",
           "I found bits of steel wool in my {item}; the dish could not be eaten.",
           "Encontré trozos de estropajo en mi {item}; el plato no se podía comer.",
           (R.EXCHANGE, R.REFUND)),
    _fault("food_quality", "dish",
           "{item}端上来根本没熟，里面还是生的，这菜没法吃。",
           "My {item} came out undercooked, still raw in the middle; I could not eat the dish.",
           "Mi {item} llegó a la mesa poco hecho, crudo por dentro; no pude comer el plato.",
           (R.EXCHANGE, R.REFUND)),
    _fault("food_quality", "dish",
           "{item}这道菜里有一块玻璃碴，差点划破嘴，太危险了！",
           "I bit on a shard of glass in my {item}; a dish like that is dangerous!",
           "Mordí un trozo de vidrio en mi {item}; ¡un plato así es peligroso!",
           (R.REFUND, R.COMPENSATION), danger=True),
    _fault("food_quality", "food",
           "吃了{item}以后全家上吐下泻，去医院看了急诊。",
           "After eating the {item} my whole family was vomiting and we ended up in hospital.",
           "Después de comer {item} toda la familia vomitó y acabamos en urgencias.",
           (R.COMPENSATION, R.REFUND), danger=True),
    # -- delivery_late: whatever is shipped
    _fault("delivery_late", "shipped",
           "订单显示{n}天前已发货，到现在还没收到{item}。",
           "My {item} was supposed to arrive in two days; the delivery took {n} days.",
           "Mi {item} tenía que llegar en dos días y la entrega tardó {n} días.",
           (R.APOLOGY, R.DISCOUNT, R.COMPENSATION)),
    _fault("delivery_late", "shipped",
           "下单时写着次日送达，{item}拖了一个星期才到货。",
           "Next-day delivery, they said; my {item} took a week.",
           "Me dijeron entrega al día siguiente y mi {item} tardó una semana en llegar.",
           (R.APOLOGY, R.DISCOUNT)),
    _fault("delivery_late", "shipped",
           "快递员没打电话就把{item}放在门口，等我回家已经不见了。",
           "The courier left my {item} at the door without calling, and it was gone when I got home.",
           "El repartidor dejó mi {item} en la puerta sin llamar y cuando volví ya no estaba.",
           (R.COMPENSATION, R.REFUND)),
    _fault("delivery_late", "shipped",
           "物流信息{n}天没有更新，{item}不知道在哪里。",
           "Tracking has not moved for {n} days and my {item} is still not here.",
           "El seguimiento del paquete no se mueve desde hace {n} días; mi {item} no llega.",
           (R.APOLOGY, R.DISCOUNT)),
    # -- transit_damage
    _fault("transit_damage", "shipped casing",
           "收到时外箱破损严重，{item}外壳被压变形。",
           "The box arrived crushed and the {item} inside was dented.",
           "El paquete llegó roto y mi {item} venía con golpes.",
           (R.EXCHANGE, R.RETURN)),
    _fault("transit_damage", "shipped screen",
           "{item}送到时屏幕已经碎了，快递员还不让当面验货。",
           "My {item} arrived with a smashed screen and the courier would not let me check it.",
           "El paquete llegó dañado y mi {item} tenía la pantalla rota; el repartidor no me dejó revisarlo.",
           (R.EXCHANGE, R.RETURN)),
    _fault("transit_damage", "packaged",
           "{item}送到时外包装破损，里面压扁了一大半。",
           "The {item} arrived with the package crushed and half of it squashed.",
           "Mi pedido de {item} llegó con el paquete roto y la mitad del contenido aplastado.",
           (R.EXCHANGE, R.REFUND)),
    _fault("transit_damage", "printed",
           "收到的{item}封面折了，书角也压坏了，包装太简单。",
           "The {item} was delivered with a bent cover and crushed corners.",
           "El {item} llegó con la portada doblada y las esquinas rotas: el paquete venía aplastado.",
           (R.EXCHANGE, R.REFUND)),
    # -- wrong_or_missing_item
    _fault("wrong_or_missing_item", "shipped colour",
           "我订的是白色{item}，收到的却是黑色的，发错货了。",
           "I ordered a white {item} but received a black one: wrong item.",
           "Pedí mi {item} en blanco y me llegó en negro: es un artículo equivocado.",
           (R.EXCHANGE, R.RETURN)),
    _fault("wrong_or_missing_item", "shipped cord",
           "收到的{item}缺件，包装里没有电源线。",
           "My {item} arrived with a missing item: there was no power cord in the box.",
           "A mi {item} le faltan piezas: en la caja no venía el cable de alimentación.",
           (R.EXCHANGE,)),
    _fault("wrong_or_missing_item", "shipped charger",
           "收到的{item}少发了充电器。",
           "My {item} order was an incomplete order: the charger was not in the box.",
           "En el pedido de mi {item} faltan el cargador y su cable.",
           (R.EXCHANGE,)),
    _fault("wrong_or_missing_item", "packaged",
           "订了{n}盒{item}，只收到一盒，少发了。",
           "I ordered {n} packs of {item} but only one arrived: an incomplete order.",
           "Pedí {n} paquetes de {item} y solo llegó uno; faltan los demás.",
           (R.EXCHANGE, R.REFUND)),
    _fault("wrong_or_missing_item", "printed",
           "收到的{item}不是我订的那一本，发错货了。",
           "The {item} I received is not the title I ordered: wrong item.",
           "El {item} que recibí no es el título que pedí: es un artículo equivocado.",
           (R.EXCHANGE, R.REFUND)),
    # -- repair_service, installation_support, spare_parts: after-sales
    _fault("repair_service", "parts",
           "{item}已经返修{n}次，售后每次都说修好了，拿回来还是老样子。",
           "My {item} has been repaired {n} times and the same fault keeps coming back.",
           "El servicio técnico ha venido {n} veces a reparar mi {item} y sigue igual.",
           (R.REPAIR, R.EXCHANGE, R.REFUND)),
    _fault("repair_service", "parts",
           "维修师傅上门修完{item}，第二天又出了同样的问题。",
           "A technician came to repair my {item} and the next day the same problem was back.",
           "Un técnico vino a reparar mi {item} y al día siguiente el problema había vuelto.",
           (R.REPAIR, R.COMPENSATION)),
    _fault("repair_service", "parts",
           "{item}保修期内维修要等{n}周，太慢了。",
           "Repairing my {item} under warranty takes {n} weeks; far too slow.",
           "La reparación en garantía de mi {item} tarda {n} semanas; es demasiado lento.",
           (R.REPAIR, R.COMPENSATION)),
    _fault("installation_support", "installed",
           "约好上午安装{item}，师傅下午五点才到，也没提前打电话。",
           "The technician came hours late to install the {item} and did not call ahead.",
           "El técnico llegó con horas de retraso para la instalación de mi {item} y no avisó.",
           (R.APOLOGY, R.DISCOUNT)),
    _fault("installation_support", "installed",
           "{item}安装不规范，师傅没有调平就走了，一用就晃。",
           "The {item} was installed badly: the technician left without levelling it and it wobbles.",
           "Mi {item} quedó mal instalado: el técnico se fue sin nivelarlo y se tambalea.",
           (R.REPAIR, R.APOLOGY)),
    _fault("installation_support", "installed",
           "安装{item}的师傅把墙面弄脏了也不清理。",
           "The technician who installed the {item} left marks on the wall and did not clean up.",
           "El técnico que vino a instalar mi {item} manchó la pared y no limpió.",
           (R.APOLOGY, R.DISCOUNT)),
    _fault("installation_support", "software",
           "{item}的驱动装不上，技术支持也说不清楚怎么办。",
           "The drivers for my {item} will not install and technical support could not say why.",
           "Los controladores de mi {item} no se instalan y el soporte técnico no sabe por qué.",
           (R.REPAIR, R.APOLOGY)),
    _fault("spare_parts", "parts",
           "{item}的维修配件等了{n}周，售后一直说没有货。",
           "I have been waiting {n} weeks for a spare part for my {item}.",
           "Llevo {n} semanas esperando un repuesto para mi {item}.",
           (R.REPAIR, R.DISCOUNT)),
    _fault("spare_parts", "parts",
           "保修期内更换{item}配件却被要求付费。",
           "I was asked to pay for a spare part for my {item} although it is under warranty.",
           "Me hicieron pagar un repuesto para mi {item} aunque está en garantía.",
           (R.REPAIR, R.REFUND)),
    _fault("spare_parts", "filter",
           "{item}的滤芯配件经销商那里一直缺货，等了{n}周还没换上。",
           "My dealer has had no replacement filter for my {item} for {n} weeks; I need the spare part.",
           "Mi distribuidor lleva {n} semanas sin filtros de repuesto para mi {item}.",
           (R.REPAIR, R.DISCOUNT)),
    # -- staff_attitude, waiting_time, procedure, other: the service itself
    _fault("staff_attitude", "hotline",
           "客服人员态度恶劣，说话很不耐烦，还挂我电话。",
           "The customer service agent was rude and hung up on me.",
           "La persona de atención al cliente fue muy maleducada y me colgó.",
           (R.APOLOGY,)),
    _fault("staff_attitude", "hotline",
           "客服推来推去，说这不归他们管，态度很差。",
           "Customer service kept passing me on and said it was not their problem; a terrible attitude.",
           "Atención al cliente me pasó de uno a otro y dijo que no era asunto suyo; muy mala actitud.",
           (R.APOLOGY,)),
    _fault("staff_attitude", "store",
           "门店店员态度冷淡，问了三遍都爱理不理。",
           "The shop staff ignored me and would not answer my questions.",
           "El personal de la tienda me ignoró y tuvo muy mala actitud.",
           (R.APOLOGY,)),
    _fault("staff_attitude", "restaurant",
           "服务员态度很差，上菜时把盘子摔在桌上。",
           "The waiter was rude and slammed the plate down on our table.",
           "El camarero fue muy grosero y nos tiró el plato en la mesa.",
           (R.APOLOGY, R.DISCOUNT)),
    _fault("staff_attitude", "hotel",
           "酒店前台态度傲慢，办理入住时一直不耐烦。",
           "The receptionist was unfriendly and impatient at check-in.",
           "El recepcionista fue muy maleducado al hacer el registro de entrada.",
           (R.APOLOGY,)),
    _fault("waiting_time", "hotline",
           "客服热线打了{n}次，每次都要排队四十分钟以上。",
           "I waited on hold for over forty minutes, {n} times.",
           "He tenido que esperar más de cuarenta minutos al teléfono, {n} veces.",
           (R.APOLOGY,)),
    _fault("waiting_time", "store",
           "在门店排队一个多小时才办完退货手续。",
           "I had to queue for over an hour in the shop to return an item.",
           "Tuve que hacer cola más de una hora en la tienda para devolver un artículo.",
           (R.APOLOGY,)),
    _fault("waiting_time", "restaurant",
           "上菜太慢，等了快一个小时，{n}道菜只上了一道。",
           "Slow service: we waited almost an hour and only one of our {n} dishes came.",
           "Servicio lento: esperamos casi una hora y de {n} platos solo llegó uno.",
           (R.APOLOGY, R.DISCOUNT)),
    _fault("waiting_time", "restaurant",
           "结账太慢，等了二十分钟都没人理。",
           "We waited twenty minutes to pay and nobody came.",
           "Tuvimos que esperar veinte minutos para pagar y nadie vino.",
           (R.APOLOGY,)),
    _fault("waiting_time", "hotel",
           "办理入住排队等了一个多小时。",
           "We waited over an hour in the queue to check in.",
           "Tuvimos que esperar más de una hora en la cola para registrarnos.",
           (R.APOLOGY, R.DISCOUNT)),
    _fault("procedure", "store",
           "退货手续太复杂，要填{n}张表还要自己寄回。",
           "The return procedure is far too complicated: {n} forms, and I have to post it back myself.",
           "El trámite de devolución es demasiado complicado: {n} formularios y tengo que enviarlo yo.",
           (R.APOLOGY,)),
    _fault("procedure", "hotline",
           "投诉之后一直没有回复，也不知道处理进度。",
           "There has been no reply to my complaint and I have no idea of its status.",
           "Mi reclamación sigue sin respuesta y no sé en qué estado está.",
           (R.APOLOGY,)),
    _fault("other", "hotline",
           "会员积分莫名其妙被清零了。",
           "My loyalty points disappeared without explanation.",
           "Mis puntos de fidelidad desaparecieron sin explicación.",
           (R.APOLOGY,)),
    _fault("other", "hotline",
           "收到大量营销短信，退订也没用。",
           "I keep getting marketing text messages and unsubscribing does nothing.",
           "Me llegan muchísimos SMS publicitarios y darme de baja no sirve de nada.",
           (R.APOLOGY,)),
    # -- price, not_as_described: sales
    _fault("price", "shipped",
           "刚买的{item}第二天就降价了，要求补差价。",
           "The price of the {item} dropped the day after I bought it.",
           "Un día después de comprar mi {item} bajó de precio.",
           (R.DISCOUNT, R.REFUND)),
    _fault("price", "goods",
           "{item}说好的促销赠品一直没有给。",
           "The free gift promised with the {item} promotion never came.",
           "El regalo de la promoción de mi {item} nunca llegó.",
           (R.DISCOUNT, R.APOLOGY)),
    _fault("price", "room",
           "前台报的房价比网上预订贵很多，不合理。",
           "The front desk asked a price far more expensive than the online rate.",
           "El precio en recepción era mucho más caro que en internet.",
           (R.DISCOUNT, R.REFUND)),
    _fault("not_as_described", "electric casing",
           "宣传页说{item}有静音功能，实际噪音非常大。",
           "The {item} was advertised as silent, but it is very noisy.",
           "La publicidad decía que mi {item} era silencioso, pero hace mucho ruido.",
           (R.RETURN, R.REFUND, R.DISCOUNT)),
    _fault("not_as_described", "capacity",
           "{item}实物和网页描述不符，容量小了很多。",
           "The {item} is nothing like the description on the website; the capacity is much smaller.",
           "Mi {item} no coincide con la descripción de la web; la capacidad es mucho menor.",
           (R.RETURN, R.REFUND)),
    _fault("not_as_described", "battery",
           "{item}宣传的续航十小时，实际只有三小时。",
           "The {item} was advertised with ten hours of battery life; I get three.",
           "La publicidad de mi {item} prometía diez horas de batería y dura tres.",
           (R.RETURN, R.DISCOUNT)),
    _fault("not_as_described", "printed",
           "{item}实物和网页描述不符，不是精装版。",
           "The {item} is nothing like the description: it is not the hardcover edition.",
           "El {item} no coincide con la descripción: no es la edición de tapa dura.",
           (R.RETURN, R.REFUND)),
    _fault("not_as_described", "room",
           "订的是网上图片里的海景房，实际窗外是一堵墙，虚假宣传。",
           "The sea-view room in the pictures online looks out on a wall: not as advertised.",
           "La habitación con vistas al mar de las fotos da a una pared: publicidad engañosa.",
           (R.DISCOUNT, R.REFUND)),
    # -- billing, refund_missing: finance
    _fault("billing", "shipped",
           "同一笔{item}订单被扣了两次款。",
           "I was charged twice for the same {item} order.",
           "Me cobraron dos veces el mismo pedido de {item}.",
           (R.REFUND, R.APOLOGY)),
    _fault("billing", "shipped",
           "{item}的发票抬头开错了，申请重开一直没有处理。",
           "The invoice for my {item} has the wrong company name.",
           "La factura de mi {item} tiene mal los datos.",
           (R.APOLOGY,)),
    _fault("billing", "room",
           "退房时账单多收了一晚房费。",
           "At check-out the bill charged me for one night too many.",
           "Al salir del hotel me cobraron una noche de más en la factura.",
           (R.REFUND, R.APOLOGY)),
    _fault("billing", "restaurant",
           "结账时账单上多了一道我们没点的菜。",
           "The bill included a dish we never ordered.",
           "En la cuenta nos cobraron un plato que no pedimos.",
           (R.REFUND, R.APOLOGY)),
    _fault("refund_missing", "shipped",
           "{item}退货已经{n}周了，退款还没到账。",
           "I returned the {item} {n} weeks ago and have not received the refund.",
           "Devolví mi {item} hace {n} semanas y todavía no he recibido el reembolso.",
           (R.REFUND,)),
    _fault("refund_missing", "hotline",
           "客服说退款三个工作日到账，现在已经过去{n}天。",
           "Customer service said the refund would come in three working days; after {n} days it is still "
           "not here.",
           "Atención al cliente dijo que el reembolso llegaría en tres días hábiles; han pasado {n} días y "
           "aún no ha llegado.",
           (R.REFUND,)),
    # -- premises, cleanliness, noise: facilities
    _fault("premises", "store",
           "门店停车场没有指示牌，找车位找了半天。",
           "There are no signs in the parking at the shop; it took ages to find a space.",
           "El aparcamiento de la tienda no tiene ninguna señal.",
           (R.APOLOGY,)),
    _fault("premises", "store",
           "门店空调坏了好几天，设施也没人管，里面闷热得待不住。",
           "The shop's air conditioning has been off for days; nobody looks after the premises and it is "
           "stifling.",
           "El aire acondicionado de la tienda lleva días sin funcionar y nadie cuida las instalaciones.",
           (R.APOLOGY,)),
    _fault("premises", "room",
           "房间热水器不出热水，洗澡只能用冷水。",
           "There was no hot water in the room; I had to shower in cold water.",
           "No había agua caliente en la habitación; tuve que ducharme con agua fría.",
           (R.APOLOGY, R.DISCOUNT, R.REPAIR)),
    _fault("premises", "room",
           "房间空调不制冷，晚上热得睡不着。",
           "The air conditioning in my room did not cool at all; too hot to sleep.",
           "El aire acondicionado de la habitación no enfriaba; imposible dormir del calor.",
           (R.EXCHANGE, R.DISCOUNT, R.REPAIR)),
    _fault("premises", "room",
           "卫生间淋浴漏水，地上全是水。",
           "The shower in the bathroom leaks and the floor was flooded.",
           "La ducha del baño gotea y el suelo se inundó.",
           (R.EXCHANGE, R.REPAIR, R.APOLOGY)),
    _fault("premises", "restaurant",
           "餐厅空调开得太冷，跟服务员说了也没调。",
           "The air conditioning in the restaurant was freezing and nobody turned it down.",
           "El aire acondicionado del restaurante estaba helado y nadie lo bajó.",
           (R.APOLOGY,)),
    _fault("premises", "store",
           "门店门口台阶破损，设施年久失修，我母亲摔倒受伤了。",
           "The step at the shop entrance is crumbling and nobody maintains the premises or facilities; my "
           "mother fell and was injured.",
           "El escalón de la entrada de la tienda está deteriorado y nadie cuida las instalaciones; mi madre "
           "se cayó y tiene una lesión.",
           (R.APOLOGY, R.COMPENSATION), danger=True),
    _fault("premises", "room",
           "酒店浴室地面太滑，老人摔伤了。",
           "The bathroom floor at the hotel was slippery and my father fell and was injured.",
           "El suelo del baño del hotel resbalaba y mi padre se cayó y sufrió una lesión.",
           (R.APOLOGY, R.COMPENSATION), danger=True),
    _fault("cleanliness", "store",
           "门店卫生间很脏，没有纸也没有洗手液。",
           "The toilet in the shop was dirty, with no paper or soap.",
           "Los aseos de la tienda estaban muy sucios, sin papel ni jabón.",
           (R.APOLOGY,)),
    _fault("cleanliness", "store",
           "展示区很不干净，样机上全是灰。",
           "The display area was dirty; the demonstration units were covered in dust.",
           "La zona de exposición estaba sucia y los aparatos llenos de polvo.",
           (R.APOLOGY,)),
    _fault("cleanliness", "room",
           "房间床单上有污渍，卫生间也没打扫。",
           "The sheets in my room had stains and the bathroom had not been cleaned.",
           "Las sábanas de la habitación tenían manchas y el baño estaba sin limpiar.",
           (R.EXCHANGE, R.DISCOUNT, R.APOLOGY)),
    _fault("cleanliness", "room",
           "房间有很重的烟味和霉味。",
           "The room had a strong smell of smoke and mould.",
           "La habitación olía mucho a tabaco y a moho.",
           (R.EXCHANGE, R.APOLOGY)),
    _fault("cleanliness", "restaurant",
           "餐厅桌子很油腻，碗筷也不干净。",
           "The restaurant tables were greasy and the cutlery was dirty.",
           "Las mesas del restaurante estaban grasientas y los cubiertos sucios.",
           (R.APOLOGY, R.DISCOUNT)),
    _fault("noise", "room",
           "隔壁房间半夜很吵，隔音太差，整晚没睡好。",
           "The room next door was noisy all night; the soundproofing is poor.",
           "La habitación de al lado hizo ruido toda la noche; no hay ningún aislamiento.",
           (R.EXCHANGE, R.DISCOUNT, R.APOLOGY)),
    _fault("noise", "room",
           "酒店楼上在施工，白天吵得没法休息。",
           "Construction work upstairs at the hotel made so much noise we could not rest.",
           "Las obras en el piso de arriba del hotel hacían tanto ruido que no podíamos descansar.",
           (R.DISCOUNT, R.APOLOGY)),
    _fault("noise", "store",
           "门店装修噪音太大，根本听不清工作人员说话。",
           "Building work at the shop was so loud I could not hear the staff.",
           "Las obras en la tienda hacían tanto ruido que no oía al personal.",
           (R.APOLOGY,)),
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
# department → why a complaint was not founded, per language
NOT_FOUNDED: dict[str, dict[str, tuple[str, ...]]] = {
    "QA": {"zh": ("经检测产品无质量问题。", "经检测属使用不当，非产品质量问题。"),
           "en": ("Tested: no quality problem found.", "Tested: damaged by misuse, not a defect."),
           "es": ("Comprobado: no hay defecto de calidad.", "Comprobado: daño por mal uso, no es un defecto.")},
    "LOG": {"zh": ("经核实已按约定时间送达。",), "en": ("Checked: delivered on the agreed day.",),
            "es": ("Comprobado: entregado el día acordado.",)},
    "AFS": {"zh": ("超出保修期且属人为损坏。",), "en": ("Out of warranty and damaged by use.",),
            "es": ("Fuera de garantía y dañado por el uso.",)},
    "CS": {"zh": ("经调取录音，接待过程符合规范。",), "en": ("The call recording shows the agent followed the rules.",),
           "es": ("La grabación muestra que se siguió el protocolo.",)},
    "SALES": {"zh": ("客户误解了活动规则，价格无误。",), "en": ("The customer misread the promotion; the price was right.",),
              "es": ("El cliente malinterpretó la promoción; el precio era correcto.",)},
    "FIN": {"zh": ("经核对账目无误，款项已按时处理。",), "en": ("The accounts are correct; the payment was handled on time.",),
            "es": ("Las cuentas son correctas; el pago se tramitó a tiempo.",)},
    "FAC": {"zh": ("经现场核查，设施当时运行正常。",), "en": ("Checked on site: the facilities were working.",),
            "es": ("Comprobado in situ: las instalaciones funcionaban.",)},
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

# category → why a complaint was not founded, where the department's reason would not fit it
NOT_FOUNDED_FOR: dict[str, dict[str, tuple[str, ...]]] = {
    "transit_damage": {"zh": ("签收时外包装完好，客户已当面验货签字。",),
                       "en": ("The parcel was intact at delivery; the customer checked and signed.",),
                       "es": ("El paquete llegó intacto; el cliente lo revisó y firmó.",)},
    "wrong_or_missing_item": {"zh": ("经核对出库记录和称重，发货与订单一致。",),
                              "en": ("Dispatch records and weight match the order.",),
                              "es": ("El registro de salida y el peso coinciden con el pedido.",)},
    "installation_support": {"zh": ("经回访核实，安装符合规范。",), "en": ("Checked: the installation meets the standard.",),
                             "es": ("Comprobado: la instalación cumple la norma.",)},
    "spare_parts": {"zh": ("经核实配件已按时发给经销商，客户尚未去取。",),
                    "en": ("The part reached the dealer on time; the customer has not collected it.",),
                    "es": ("El repuesto llegó a tiempo al distribuidor; el cliente no lo ha recogido.",)},
    "not_as_described": {"zh": ("经核对，产品参数与页面描述一致。",), "en": ("Checked: the product matches its description.",),
                         "es": ("Comprobado: el producto coincide con su descripción.",)},
}

# -- where the default wording above does not fit: per setting (a dish is not replaced by "a new
# unit of the same model", a hotel room is not investigated on the assembly line) ---------------

REQUESTS_AT: dict[tuple[Remedy, str], dict[str, tuple[str, ...]]] = {
    (R.EXCHANGE, RESTAURANT): {"zh": ("请给我重新做一份。",), "en": ("Please bring me a new one.",),
                               "es": ("Quiero que me traigan otro.",)},
    (R.REFUND, RESTAURANT): {"zh": ("这道菜的钱要退给我。",), "en": ("I want my money back for that dish.",),
                             "es": ("Quiero que me devuelvan el dinero del plato.",)},
    (R.DISCOUNT, RESTAURANT): {"zh": ("这顿饭应该打个折。",), "en": ("I expect a discount on the meal.",),
                               "es": ("Espero un descuento en la comida.",)},
    (R.EXCHANGE, HOTEL): {"zh": ("要求换一个房间。",), "en": ("I want another room.",),
                          "es": ("Quiero otra habitación.",)},
    (R.REPAIR, HOTEL): {"zh": ("请马上派人来修。",), "en": ("Please send someone to fix it now.",),
                        "es": ("Que vengan a arreglarlo ya.",)},
    (R.REFUND, HOTEL): {"zh": ("要求退还房费。",), "en": ("I want the night refunded.",),
                        "es": ("Quiero que me devuelvan la noche.",)},
    (R.DISCOUNT, HOTEL): {"zh": ("希望房费给个折扣。",), "en": ("I expect a discount on the room.",),
                          "es": ("Espero un descuento en la habitación.",)},
    (R.EXCHANGE, FOOD): {"zh": ("请补发一份新的。",), "en": ("Please send me a fresh one.",),
                         "es": ("Quiero que me envíen otro.",)},
    (R.EXCHANGE, BOOKS): {"zh": ("请给我换一本。",), "en": ("Please send me a good copy.",),
                          "es": ("Quiero que me envíen otro ejemplar.",)},
}
PROPOSALS_AT: dict[tuple[Remedy, str], dict[str, str]] = {
    (R.EXCHANGE, RESTAURANT): {"zh": "向顾客致歉，重新做一份同样的菜。", "en": "Apologise and cook the dish again.",
                               "es": "Disculparse y preparar de nuevo el plato."},
    (R.REFUND, RESTAURANT): {"zh": "店长为顾客退还该菜品费用。", "en": "The store manager refunds the dish.",
                             "es": "El encargado devuelve el importe del plato."},
    (R.DISCOUNT, RESTAURANT): {"zh": "本餐给予折扣。", "en": "A discount on the meal.",
                               "es": "Un descuento en la comida."},
    (R.COMPENSATION, RESTAURANT): {"zh": "店长协调按菜价2至5倍赔偿。",
                                   "en": "The store manager arranges 2 to 5 times the price of the dish.",
                                   "es": "El encargado acuerda de 2 a 5 veces el precio del plato."},
    (R.EXCHANGE, HOTEL): {"zh": "为客人换到同类型的另一间客房。", "en": "Move the guest to another room of the same type.",
                          "es": "Trasladar al cliente a otra habitación del mismo tipo."},
    (R.REPAIR, HOTEL): {"zh": "安排工程人员立即维修客房设施。", "en": "Send maintenance to repair the room at once.",
                        "es": "Enviar a mantenimiento a reparar la habitación enseguida."},
    (R.REFUND, HOTEL): {"zh": "退还当晚房费。", "en": "Refund the night.", "es": "Devolver el importe de la noche."},
    (R.DISCOUNT, HOTEL): {"zh": "房费给予折扣。", "en": "A discount on the room rate.",
                          "es": "Un descuento en la tarifa."},
    (R.EXCHANGE, FOOD): {"zh": "为客户补发同款新品。", "en": "Send a fresh pack of the same product.",
                         "es": "Enviar un paquete nuevo del mismo producto."},
    (R.COMPENSATION, FOOD): {"zh": "按规定给予货款2至5倍赔偿。", "en": "Pay 2 to 5 times the price as the rules provide.",
                             "es": "Pagar de 2 a 5 veces el precio según las normas."},
    (R.EXCHANGE, BOOKS): {"zh": "为客户补发一本新书。", "en": "Send a new copy.", "es": "Enviar un ejemplar nuevo."},
}
IMPLEMENTED_AT: dict[tuple[Remedy, str], dict[str, str]] = {
    (R.EXCHANGE, RESTAURANT): {"zh": "已重新上菜，顾客已用餐。", "en": "A new dish was served.",
                               "es": "Se sirvió un plato nuevo."},
    (R.REFUND, RESTAURANT): {"zh": "店长已当场退款。", "en": "The store manager refunded it on the spot.",
                             "es": "El encargado lo devolvió en el acto."},
    (R.DISCOUNT, RESTAURANT): {"zh": "结账时已打折。", "en": "Discounted at the till.", "es": "Descontado en caja."},
    (R.EXCHANGE, HOTEL): {"zh": "已为客人换房。", "en": "The guest moved to another room.",
                          "es": "El cliente cambió de habitación."},
    (R.REPAIR, HOTEL): {"zh": "维修人员已修好，客人确认正常。", "en": "Repaired; the guest confirmed it works.",
                        "es": "Reparado; el cliente confirmó que funciona."},
    (R.REFUND, HOTEL): {"zh": "房费已退回。", "en": "The night was refunded.", "es": "Noche reembolsada."},
    (R.DISCOUNT, HOTEL): {"zh": "结账时已按折扣收费。", "en": "Discount applied at check-out.",
                          "es": "Descuento aplicado al salir."},
    (R.EXCHANGE, FOOD): {"zh": "新品已送达。", "en": "A fresh pack was delivered.", "es": "Paquete nuevo entregado."},
    (R.EXCHANGE, BOOKS): {"zh": "新书已送达。", "en": "A new copy was delivered.", "es": "Ejemplar nuevo entregado."},
}
CAUSES_AT: dict[tuple[str, str], dict[str, tuple[str, str, str, str, str, str]]] = {
    ("QA", FOOD): {
        "zh": ("食品质量问题", "生产车间卫生管控不到位，出厂检验漏检", "食品车间", "生产班组", "未按规程清洁", "同批次少量"),
        "en": ("food quality", "hygiene lapses in production missed by the final check", "food plant",
               "production team", "cleaning steps skipped", "a few packs of the lot"),
        "es": ("calidad del alimento", "fallos de higiene en producción no detectados", "planta de alimentos",
               "equipo de producción", "limpieza incompleta", "unos paquetes del lote"),
    },
    ("QA", RESTAURANT): {
        "zh": ("菜品质量问题", "后厨操作不规范，出菜前未检查", "后厨", "厨师", "未按标准操作", "一道菜"),
        "en": ("dish quality", "kitchen did not follow the standard and did not check before serving",
               "kitchen", "cook", "standard not followed", "one dish"),
        "es": ("calidad del plato", "la cocina no siguió el estándar ni revisó antes de servir", "cocina",
               "cocinero", "no siguió el estándar", "un plato"),
    },
    ("QA", BOOKS): {
        "zh": ("印刷质量问题", "印刷厂装订质检抽样不足", "印刷厂", "供应商", "抽检比例不足", "同批次少量"),
        "en": ("print quality", "the printer's binding checks were too few", "printer", "supplier",
               "sampling rate too low", "a few copies"),
        "es": ("calidad de impresión", "la imprenta revisó pocas encuadernaciones", "imprenta", "proveedor",
               "muestreo insuficiente", "unos ejemplares"),
    },
    ("CS", RESTAURANT): {
        "zh": ("服务态度与效率", "高峰期服务员不足，服务培训不到位", "餐厅前厅", "服务员", "未按服务规范", "一桌"),
        "en": ("service and speed", "too few waiters at peak, training lacking", "dining room", "waiter",
               "service standard not followed", "one table"),
        "es": ("atención y rapidez", "pocos camareros en hora punta, falta formación", "comedor", "camarero",
               "no siguió el protocolo", "una mesa"),
    },
    ("CS", HOTEL): {
        "zh": ("前台服务", "前台高峰期人手不足，服务培训不到位", "酒店前台", "前台接待", "未按服务规范", "一位客人"),
        "en": ("front desk service", "front desk understaffed at peak, training lacking", "front desk",
               "receptionist", "service standard not followed", "one guest"),
        "es": ("atención en recepción", "recepción sin personal suficiente, falta formación", "recepción",
               "recepcionista", "no siguió el protocolo", "un cliente"),
    },
    ("CS", STORE): {
        "zh": ("门店服务", "门店高峰期人手不足，服务培训不到位", "门店", "店员", "未按服务规范", "一位顾客"),
        "en": ("shop service", "shop understaffed at peak, training lacking", "shop", "shop assistant",
               "service standard not followed", "one customer"),
        "es": ("atención en tienda", "tienda sin personal suficiente, falta formación", "tienda", "dependiente",
               "no siguió el protocolo", "un cliente"),
    },
    ("SALES", HOTEL): {
        "zh": ("房价与宣传", "前台与网上房价未同步，房型图片过时", "酒店预订", "预订专员", "页面未复核", "一间房"),
        "en": ("rates and advertising", "desk and online rates out of step, old room photos", "reservations",
               "reservations clerk", "page not reviewed", "one room"),
        "es": ("tarifas y publicidad", "tarifas de recepción y web desfasadas, fotos antiguas", "reservas",
               "agente de reservas", "página sin revisar", "una habitación"),
    },
    ("FIN", RESTAURANT): {
        "zh": ("结账差错", "收银员录错菜品，结账前未与顾客核对", "收银台", "收银员", "未核对账单", "一张账单"),
        "en": ("bill error", "cashier keyed in the wrong dish and did not check the bill", "till", "cashier",
               "bill not checked", "one bill"),
        "es": ("error en la cuenta", "el cajero marcó un plato equivocado y no revisó la cuenta", "caja",
               "cajero", "cuenta sin revisar", "una cuenta"),
    },
    ("FIN", HOTEL): {
        "zh": ("结账差错", "退房结账时未核对入住天数", "前台收银", "前台收银员", "未核对账单", "一张账单"),
        "en": ("bill error", "nights not checked at check-out", "front desk till", "front desk cashier",
               "bill not checked", "one bill"),
        "es": ("error en la cuenta", "no se comprobaron las noches al salir", "caja de recepción",
               "cajero de recepción", "cuenta sin revisar", "una cuenta"),
    },
    ("FAC", HOTEL): {
        "zh": ("客房设施与卫生", "客房设施巡检不到位，保洁质量未抽查", "客房楼层", "客房部", "巡检记录缺失", "一间客房"),
        "en": ("room facilities and cleaning", "room checks missed, cleaning not inspected", "guest floor",
               "housekeeping", "no inspection record", "one room"),
        "es": ("instalaciones y limpieza", "revisiones no hechas, limpieza sin inspeccionar", "planta de habitaciones",
               "pisos", "sin registro de revisión", "una habitación"),
    },
    ("FAC", RESTAURANT): {
        "zh": ("餐厅环境", "餐厅设施巡检不到位，保洁排班不足", "餐厅", "行政后勤", "巡检记录缺失", "一处设施"),
        "en": ("dining room", "dining room checks missed, cleaning rota too thin", "dining room",
               "facilities team", "no inspection record", "one facility"),
        "es": ("comedor", "revisiones del comedor no hechas, limpieza insuficiente", "comedor",
               "equipo de instalaciones", "sin registro de revisión", "una instalación"),
    },
    ("FAC", STORE): {
        "zh": ("门店设施", "门店设施巡检不到位，保洁排班不足", "门店", "行政后勤", "巡检记录缺失", "一处设施"),
        "en": ("shop premises", "shop checks missed, cleaning rota too thin", "shop", "facilities team",
               "no inspection record", "one facility"),
        "es": ("instalaciones de la tienda", "revisiones no hechas, limpieza insuficiente", "tienda",
               "equipo de instalaciones", "sin registro de revisión", "una instalación"),
    },
}
PREVENTION_AT: dict[tuple[str, str], dict[str, str]] = {
    ("QA", FOOD): {"zh": "车间卫生每班检查，出厂抽检加倍。", "en": "Plant hygiene checked every shift; final sampling doubled.",
                   "es": "Higiene revisada en cada turno; doble muestreo final."},
    ("QA", RESTAURANT): {"zh": "后厨出菜前逐盘检查，厨师复训操作规范。",
                         "en": "Every plate checked before serving; cooks retrained.",
                         "es": "Cada plato revisado antes de servir; cocineros formados de nuevo."},
    ("QA", BOOKS): {"zh": "要求印刷厂提高装订抽检比例。", "en": "The printer samples more bindings.",
                    "es": "La imprenta revisa más encuadernaciones."},
    ("CS", RESTAURANT): {"zh": "高峰期增加服务员排班，复训服务规范。", "en": "More waiters at peak; service retraining.",
                         "es": "Más camareros en hora punta; formación de servicio."},
    ("CS", HOTEL): {"zh": "前台高峰期加派人手，复训接待规范。", "en": "More front desk staff at peak; retraining.",
                    "es": "Más personal en recepción en hora punta; formación."},
    ("SALES", HOTEL): {"zh": "房价每日与网上同步，房型图片更新。", "en": "Rates synchronised daily; room photos updated.",
                       "es": "Tarifas sincronizadas a diario; fotos actualizadas."},
    ("FIN", RESTAURANT): {"zh": "结账前与顾客逐项核对账单。", "en": "Bills read back to the guest before payment.",
                          "es": "La cuenta se repasa con el cliente antes de cobrar."},
    ("FIN", HOTEL): {"zh": "退房时与客人核对入住天数。", "en": "Nights checked with the guest at check-out.",
                     "es": "Las noches se comprueban con el cliente al salir."},
    ("FAC", HOTEL): {"zh": "客房每日巡检并记录，保洁质量抽查。", "en": "Rooms inspected daily; cleaning spot-checked.",
                     "es": "Habitaciones revisadas a diario; limpieza inspeccionada."},
}
NOT_FOUNDED_AT: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("QA", RESTAURANT): {"zh": ("经后厨核查，菜品按标准制作，异物并非来自本店。",),
                         "en": ("The kitchen checked: the dish was made to standard.",),
                         "es": ("La cocina lo comprobó: el plato se preparó según el estándar.",)},
    ("QA", FOOD): {"zh": ("经检验同批次产品合格，系收货后储存不当。",),
                   "en": ("The lot tested fine; the product was stored badly after delivery.",),
                   "es": ("El lote está bien; el producto se conservó mal tras la entrega.",)},
    ("FAC", HOTEL): {"zh": ("经核查，当晚该房间设施正常。",), "en": ("Checked: the room's facilities worked that night.",),
                     "es": ("Comprobado: las instalaciones de la habitación funcionaban esa noche.",)},
}



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
