1# ---- kernel: __compute_module_wrapped_exponential

module_0004.jit_f.obj-file.__compute_module_wrapped_exponential.o:     file format elf64-x86-64


Disassembly of section .ltext:

0000000000000000 <wrapped_exponential>:
   0:	push   %rbp
   1:	mov    %rsp,%rbp
   4:	push   %rbx
   5:	and    $0xffffffffffffffc0,%rsp
   9:	sub    $0x240,%rsp
  10:	mov    %rsp,%rbx
  13:	mov    0x8(%rdi),%rax
  17:	cmpq   $0x0,(%rax)
  1b:	jg     2f5 <wrapped_exponential+0x2f5>
  21:	movabs $0x0,%rsi	23: R_X86_64_64	.rodata.cst4
  2b:	mov    0x18(%rdi),%rcx
  2f:	xor    %edx,%edx
  31:	vbroadcastss (%rsi),%ymm0
  36:	movabs $0x0,%rsi	38: R_X86_64_64	.rodata.cst4+0x4
  40:	vbroadcastss (%rsi),%ymm2
  45:	movabs $0x0,%rsi	47: R_X86_64_64	.rodata.cst4+0x8
  4f:	vbroadcastss (%rsi),%ymm1
  54:	movabs $0x0,%rsi	56: R_X86_64_64	.rodata.cst4+0xc
  5e:	mov    (%rcx),%rax
  61:	mov    0x10(%rcx),%rcx
  65:	vmovaps %ymm0,0x1e0(%rbx)
  6d:	vmovaps %ymm2,0x1c0(%rbx)
  75:	vbroadcastss (%rsi),%ymm2
  7a:	movabs $0x0,%rsi	7c: R_X86_64_64	.rodata.cst4+0x10
  84:	vmovaps %ymm1,0x1a0(%rbx)
  8c:	vbroadcastss (%rsi),%ymm1
  91:	movabs $0x0,%rsi	93: R_X86_64_64	.rodata.cst4+0x14
  9b:	vmovaps %ymm2,0x80(%rbx)
  a3:	vbroadcastss (%rsi),%ymm2
  a8:	movabs $0x0,%rsi	aa: R_X86_64_64	.rodata.cst4+0x18
  b2:	vmovaps %ymm1,0x180(%rbx)
  ba:	vbroadcastss (%rsi),%ymm1
  bf:	movabs $0x0,%rsi	c1: R_X86_64_64	.rodata.cst4+0x1c
  c9:	vmovaps 0x180(%rbx),%ymm7
  d1:	vmovaps %ymm2,0x20(%rbx)
  d6:	vbroadcastss (%rsi),%ymm2
  db:	movabs $0x0,%rsi	dd: R_X86_64_64	.rodata.cst4+0x20
  e5:	vmovaps %ymm1,0x160(%rbx)
  ed:	vbroadcastss (%rsi),%ymm1
  f2:	movabs $0x0,%rsi	f4: R_X86_64_64	.rodata.cst4+0x24
  fc:	vmovaps 0x160(%rbx),%ymm9
 104:	vmovaps %ymm2,0x140(%rbx)
 10c:	vbroadcastss (%rsi),%ymm2
 111:	movabs $0x0,%rsi	113: R_X86_64_64	.rodata.cst4+0x28
 11b:	vmovaps %ymm1,0x120(%rbx)
 123:	vbroadcastss (%rsi),%ymm1
 128:	movabs $0x0,%rsi	12a: R_X86_64_64	.rodata.cst4+0x2c
 132:	vmovaps 0x140(%rbx),%ymm10
 13a:	vmovaps %ymm2,0x100(%rbx)
 142:	vbroadcastss (%rsi),%ymm2
 147:	movabs $0x0,%rsi	149: R_X86_64_64	.rodata.cst4+0x30
 151:	vmovaps %ymm1,0xe0(%rbx)
 159:	vbroadcastss (%rsi),%ymm1
 15e:	movabs $0x0,%rsi	160: R_X86_64_64	.rodata.cst4+0x34
 168:	vmovaps 0x100(%rbx),%ymm12
 170:	vmovaps 0xe0(%rbx),%ymm13
 178:	vmovaps %ymm2,0xc0(%rbx)
 180:	vbroadcastss (%rsi),%ymm2
 185:	vmovaps %ymm1,0xa0(%rbx)
 18d:	vbroadcastss (%rsi),%ymm1
 192:	vmovaps 0xc0(%rbx),%ymm14
 19a:	vmovaps %ymm2,0x60(%rbx)
 19f:	vmovaps %ymm1,0x40(%rbx)
 1a4:	data16 data16 cs nopw 0x0(%rax,%rax,1)
 1b0:	vmovaps 0x1e0(%rbx),%ymm0
 1b8:	mov    %rsp,%rdi
 1bb:	add    $0xffffffffffffffc0,%rdi
 1bf:	mov    %rsp,%rsi
 1c2:	vmaxps (%rax,%rdx,1),%ymm0,%ymm15
 1c7:	vmaxps 0x20(%rax,%rdx,1),%ymm0,%ymm0
 1cd:	and    $0xffffffffffffffc0,%rdi
 1d1:	mov    %rdi,%rsp
 1d4:	vmovaps 0x1c0(%rbx),%ymm5
 1dc:	vmovaps 0x1a0(%rbx),%ymm6
 1e4:	vmovaps 0x80(%rbx),%ymm2
 1ec:	vmovaps 0x20(%rbx),%ymm3
 1f1:	vmovaps 0x120(%rbx),%ymm11
 1f9:	vminps %ymm15,%ym