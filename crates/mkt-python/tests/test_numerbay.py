"""mkt.NumerBay against the sandbox: the official client's usage examples, verbatim apart from
the import line and placeholder values, plus what mkt adds (typed errors, Decimal money, frames)."""

import decimal
import os

import pytest

from conftest import numerai_predictions_csv


def test_seed_examples_seller_upload_and_lock(numerbay_env, workdir):
    from mkt import NumerBay  # was: from numerbay import NumerBay

    sb = numerbay_env
    numerai_predictions_csv("predictions.csv")

    # numerbay.NumerBay.upload_artifact docstring example
    api = NumerBay(username=sb.seller_username, password=sb.seller_password)
    product_full_name = sb.encrypted_product
    artifacts = api.upload_predictions("predictions.csv", product_full_name=product_full_name)
    assert isinstance(artifacts, list) and artifacts
    assert all(a["state"] == "active" for a in artifacts)
    assert any(a["buyer_public_key"] for a in artifacts)

    # plain product: one dict
    artifact = api.upload_artifact("predictions.csv", product_full_name=sb.plain_product)
    assert isinstance(artifact, dict) and isinstance(artifact["id"], int)

    # numerbay.NumerBay.lock_product docstring example (product id from the listing)
    product_id = artifact["product_id"]
    locked = api.lock_product(product_id=product_id)
    assert locked["id"] == product_id
    assert locked["sku"] == sb.plain_product


def test_seed_example_upload_from_dataframe_writes_no_file(numerbay_env, workdir):
    import pandas as pd
    import polars as pl

    from mkt import NumerBay

    sb = numerbay_env
    api = NumerBay(username=sb.seller_username, password=sb.seller_password)
    predictions_df = pd.DataFrame({"id": ["n1", "n2"], "prediction": [0.25, 0.75]}, index=[7, 9])
    product_full_name = sb.encrypted_product
    # numerbay.NumerBay.upload_artifact docstring example ("upload from pandas DataFrame directly")
    sealed = api.upload_predictions(df=predictions_df, product_full_name=product_full_name)
    assert isinstance(sealed, list) and sealed
    plain = api.upload_predictions(df=pl.from_pandas(predictions_df), product_full_name=sb.plain_product)
    assert plain["object_size"] == len("id,prediction\nn1,0.25\nn2,0.75\n")
    assert os.listdir(workdir) == []


def test_buyer_downloads_and_decrypts(numerbay_env, workdir, monkeypatch):
    from mkt import NumerBay

    sb = numerbay_env
    numerai_predictions_csv("predictions.csv")
    seller = NumerBay(username=sb.seller_username, password=sb.seller_password)
    seller.upload_artifact("predictions.csv", product_full_name=sb.encrypted_product)
    seller.upload_artifact("predictions.csv", product_full_name=sb.plain_product)
    expected = open("predictions.csv").read()

    monkeypatch.setenv("NUMERBAY_USERNAME", sb.buyer_username)
    monkeypatch.setenv("NUMERBAY_PASSWORD", sb.buyer_password)
    api = NumerBay()
    # encrypted: the buyer's order copy, opened with the key file
    api.download_artifact("bought.csv", product_full_name=sb.encrypted_product, key_path=sb.buyer_key_file)
    assert open("bought.csv").read() == expected
    # plain: the product artifact
    path = api.download_artifact(dest_path="plain.csv", product_full_name=sb.plain_product)
    assert path.endswith("plain.csv") and open("plain.csv").read() == expected
    assert sorted(os.listdir(workdir)) == ["bought.csv", "plain.csv", "predictions.csv"]

    orders = api.get_my_orders()
    assert orders and isinstance(orders[0]["price"], decimal.Decimal)


def test_account_sales_listings_shapes(numerbay_env):
    from mkt import NumerBay

    api = NumerBay()
    account = api.get_account()
    assert account["username"] == numerbay_env.seller_username
    assert api.user_id == account["id"]
    sales = api.get_my_sales()
    assert sales and {"id", "product", "buyer", "price", "state"} <= set(sales[0])
    assert all(isinstance(s["price"], decimal.Decimal) for s in sales)
    active = api.get_my_sales(active_only=True)
    assert len(active) <= len(sales)
    listings = api.get_my_listings()
    assert {p["sku"] for p in listings} >= {numerbay_env.encrypted_product, numerbay_env.plain_product}


def test_wrong_password_raises_auth_error(sandbox):
    import mkt

    with pytest.raises(mkt.NumerBayAuthError) as err:
        mkt.NumerBay(sandbox.seller_username, "not-the-password", base_url=sandbox.numerbay_url)
    assert isinstance(err.value, mkt.NumerBayError) and isinstance(err.value, ValueError)
    assert err.value.status_code == 400  # the server's answer to the login


def test_unknown_product_raises_not_found(numerbay_env, workdir):
    import mkt

    api = mkt.NumerBay()
    numerai_predictions_csv("predictions.csv")
    with pytest.raises(mkt.NumerBayNotFoundError):
        api.upload_artifact("predictions.csv", product_full_name="numerai-predictions-no-such-model")
    with pytest.raises(mkt.NumerBayNotFoundError):
        api.lock_product(product_id=987654)


def test_missing_product_argument_is_a_validation_error(numerbay_env):
    import mkt

    with pytest.raises(mkt.NumerBayValidationError):
        mkt.NumerBay().upload_artifact("predictions.csv")


def test_buyer_without_key_is_refused_before_download(numerbay_env, workdir, monkeypatch):
    import mkt

    sb = numerbay_env
    numerai_predictions_csv("predictions.csv")
    mkt.NumerBay().upload_artifact("predictions.csv", product_full_name=sb.encrypted_product)
    monkeypatch.delenv("NUMERBAY_KEY_PATH", raising=False)
    buyer = mkt.NumerBay(sb.buyer_username, sb.buyer_password)
    with pytest.raises(mkt.NumerBayError, match="key"):
        buyer.download_artifact("x.csv", product_full_name=sb.encrypted_product)
    assert not os.path.exists("x.csv")
