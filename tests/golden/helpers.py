# ---- seed 7, index 0, family helpers
import jax
import jax.numpy as jnp
from jax import lax


def block(m):
    return jnp.log(jnp.abs(lax.cos(m) + m) + 0.5)


def program(x0, x1):
    """Helper functions called more than once, jax.vmap over a helper."""
    return jnp.minimum(block(x1), jax.vmap(block)(x0))
# ---- seed 7, index 1, family helpers
import jax
import jax.numpy as jnp
from jax import lax


def project(m):
    def scan_body(accc, elem):
        def loop_body(i, accc1):
            def then_branch():
                return jax.nn.leaky_relu(accc1)
            def else_branch():
                return jax.nn.relu6(-elem)
            rout = lax.cond(jnp.power(jnp.abs(accc.mean()) + 1.0, jnp.mean(accc)) < 679.6, then_branch, else_branch)
            return 2.0 * jax.nn.sigmoid(lax.add(accc1, rout)) - 1.0
        accc1_out = lax.fori_loop(1, 3, loop_body, jnp.min(jax.nn.silu(jnp.exp(jnp.broadcast_to(jnp.mean(accc), (10, 6, 3)))), axis=2))
        return jnp.minimum(accc, accc1_out), jnp.minimum(accc, accc1_out)
    accc_out, ys = lax.scan(scan_body, m * jnp.log(jnp.abs(m) + 1.0), jnp.add(jnp.broadcast_to(m, (6, 10, 6)), jnp.broadcast_to(m, (6, 10, 6))))
    return lax.min(m, accc_out)


def apply(a, b):
    return project(b) * jax.vmap(project)(a)
# ---- seed 7, index 2, family helpers
import jax
import jax.numpy as jnp
from jax import lax


def transform_fn(q, m):
    return lax.neg(q)


def program(x, y):
    return lax.mul(transform_fn(jax.nn.log_sigmoid(x) + jax.nn.gelu(x, approximate=False), jax.nn.soft_sign(jnp.subtract(3.0, jnp.tan(y)))), transform_fn(x, jax.nn.silu(y)))
