# a copy, reformatted
import jax
import jax.numpy as jnp




def my_compute( my_x ,   my_y):
  """Added docstring."""
  my_tmp0 = jnp.where( my_x > -1.9 ,   my_y ,   my_y) - jnp.exp( my_y)
  return jnp.sum( jnp.exp( my_tmp0) ,   axis=1 ,   keepdims=True)  # was: return jnp.sum(jnp.exp(my_tmp0), axis=1, keepdims=True)
