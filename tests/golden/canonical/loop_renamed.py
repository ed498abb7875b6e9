# a copy, reformatted
import jax
import jax.numpy as jnp
from jax import lax




def my_fn( my_inputs):
  """Added docstring."""
  def my_loop_body( my_i ,   my_inputs_c):
    """Added docstring."""
    return jnp.sin( my_inputs_c)  # was: return jnp.sin(my_inputs_c)
  my_t0 = lax.fori_loop( 0 ,   9 ,   my_loop_body ,   my_inputs)
  return my_t0  # was: return my_t0
