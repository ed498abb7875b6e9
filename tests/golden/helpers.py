# ---- seed 7, index 0, family helpers
import jax
import jax.numpy as jnp
from jax import lax


def block(m):
    def scan_body(accc, row):
        def update(it, accc1):
            return lax.dynamic_update_slice(jax.nn.relu(row), jnp.broadcast_to(accc.mean(), (1,)), (0,)) * accc1 * 0.05
        accc1_out = lax.fori_loop(1, 8, update, jax.nn.sigmoid(jnp.log(jnp.abs(accc) + 1.0)))
        return (accc + accc1_out) * 0.05, accc + accc1_out
    accc_out, ys = lax.scan(scan_body, jnp.multiply(m.mean(), m) + jnp.add(m, jnp.broadcast_to(jnp.mean(m), (1,))), jnp.broadcast_to(m.astype(jnp.int32), (6, 2)).astype(jnp.float32))
    return accc_out * m


def apply(x, y):
    return jax.vmap(block)(x) + block(y)
# ---- seed 7, index 1, family helpers
import jax
import jax.numpy as jnp
from jax import lax


def project(m):
    def scan_body(accc, elem):
        r0 = jax.nn.softplus(jnp.broadcast_to(jnp.mean(elem), (10, 6, 3)))
        def update(it, accc1):
            return 2.0 * jax.nn.sigmoid(jnp.maximum(jnp.multiply(jnp.mean(m), accc1) ** 2, accc1)) - 1.0
        accc1_out = lax.fori_loop(0, 5, update, (2.0 * jax.nn.sigmoid(r0) - 1.0).prod(axis=2))
        return 2.0 * jax.nn.sigmoid(jnp.add(elem, accc1_out)) - 1.0, jnp.linalg.norm(jnp.broadcast_to(jnp.mean(accc1_out), (10, 2, 6)), axis=-2)
    accc_out, ys = lax.scan(scan_body, m * jnp.log(jnp.abs(m) + 1.0), jnp.add(jnp.broadcast_to(m, (6, 10, 6)), jnp.broadcast_to(m, (6, 10, 6))))
    return jnp.add(accc_out, m)


def apply(a):
    return lax.max(project(a), project(a))
# ---- seed 7, index 2, family helpers
import jax
import jax.numpy as jnp
from jax import lax


def transform_fn(q, m):
    return lax.neg(q)


def program(x, y):
    return transform_fn(jax.nn.soft_sign(x) + jax.nn.swish(x), jax.nn.hard_tanh(jnp.subtract(3.0, jnp.tan(y)))) - transform_fn(x, jax.nn.softplus(y))
