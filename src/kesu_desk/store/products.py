"""The product catalogue in the database: products, their barcodes, lookups for the intake."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from kesu_desk.domain.products import Kind, ProductInfo
from kesu_desk.store.models import Product, ProductBarcode


@dataclass(frozen=True)
class ProductRow:
    """One checked row of a catalogue file, as it is stored."""

    code: str
    kind: Kind
    name: str
    names: dict[str, str]
    warranty_months: int | None
    retail_price_cents: int | None
    fits: tuple[str, ...]
    barcodes: tuple[str, ...]
    retired: date | None


def _info(product: Product, barcodes: Iterable[str]) -> ProductInfo:
    return ProductInfo(
        code=product.code, kind=Kind(product.kind), name=product.name,
        names={"zh": product.name_zh, "en": product.name_en, "es": product.name_es},
        warranty_months=product.warranty_months, retail_price_cents=product.retail_price_cents,
        fits=tuple(product.fits.split()), barcodes=tuple(sorted(barcodes)), retired=product.retired_at,
    )


class ProductRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def barcode_owners(self, barcodes: Iterable[str]) -> dict[str, str]:
        """The product code each of ``barcodes`` belongs to now (those that belong to one)."""
        wanted = list(barcodes)
        if not wanted:
            return {}
        rows = self.session.exec(
            select(ProductBarcode.barcode, Product.code).join(Product, col(Product.id) == ProductBarcode.product_id)
            .where(col(ProductBarcode.barcode).in_(wanted)))
        return {barcode: code for barcode, code in rows}

    def kinds(self) -> dict[str, Kind]:
        """Every code in the catalogue and its kind."""
        return {code: Kind(kind) for code, kind in self.session.exec(select(Product.code, Product.kind))}

    def save(self, rows: list[ProductRow], now: datetime) -> tuple[int, int]:
        """Add or update (by code) every row, its barcodes replaced by the row's; returns
        (added, updated). The caller checked the rows (services/products.py)."""
        existing = {p.code: p for p in self.session.exec(
            select(Product).where(col(Product.code).in_([r.code for r in rows])))}
        added = updated = 0
        products: list[tuple[Product, ProductRow]] = []
        for row in rows:
            product = existing.get(row.code)
            if product is None:
                product = Product(code=row.code, name=row.name)
                added += 1
            else:
                updated += 1
            product.kind = row.kind.value
            product.name = row.name
            product.name_zh, product.name_en, product.name_es = (row.names.get(lang, "") for lang in ("zh", "en", "es"))
            product.warranty_months = row.warranty_months
            product.retail_price_cents = row.retail_price_cents
            product.fits = " ".join(row.fits)
            product.retired_at = row.retired
            product.updated_at = now
            self.session.add(product)
            products.append((product, row))
        self.session.flush()
        ids = [p.id for p, _ in products]
        # Barcodes move with the file: first those of these products go, then the file's come.
        for old in self.session.exec(select(ProductBarcode).where(col(ProductBarcode.product_id).in_(ids))):
            self.session.delete(old)
        self.session.flush()
        for product, row in products:
            assert product.id is not None
            for barcode in row.barcodes:
                self.session.add(ProductBarcode(barcode=barcode, product_id=product.id))
        self.session.flush()
        return added, updated

    def _barcodes(self, ids: list[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        if ids:
            for b in self.session.exec(select(ProductBarcode).where(col(ProductBarcode.product_id).in_(ids))):
                found.setdefault(b.product_id, []).append(b.barcode)
        return found

    def _infos(self, products: list[Product]) -> list[ProductInfo]:
        barcodes = self._barcodes([p.id for p in products if p.id is not None])
        return [_info(p, barcodes.get(p.id or 0, [])) for p in products]

    def by_code(self, code: str) -> ProductInfo | None:
        product = self.session.exec(select(Product).where(Product.code == code)).first()
        return self._infos([product])[0] if product is not None else None

    def by_barcode(self, barcode: str) -> ProductInfo | None:
        product = self.session.exec(
            select(Product).join(ProductBarcode, col(ProductBarcode.product_id) == Product.id)
            .where(ProductBarcode.barcode == barcode)).first()
        return self._infos([product])[0] if product is not None else None

    def all(self, *, retired: bool = True) -> list[ProductInfo]:
        query = select(Product).order_by(col(Product.code))
        if not retired:
            query = query.where(col(Product.retired_at).is_(None))
        return self._infos(list(self.session.exec(query)))

    def search(self, text: str, *, limit: int, retired: bool = True) -> list[ProductInfo]:
        """Products whose code or any name holds ``text``, whatever its letter case. Compared
        in Python (casefold): SQLite's lower() knows only ASCII letters, and a catalogue is
        small enough to read whole."""
        wanted = text.casefold().strip()
        found = []
        for product in self.session.exec(select(Product).order_by(col(Product.code))):
            if not retired and product.retired_at is not None:
                continue
            names = (product.code, product.name, product.name_zh, product.name_en, product.name_es)
            if any(wanted in n.casefold() for n in names):
                found.append(product)
                if len(found) >= limit:
                    break
        return self._infos(found)
