#!/usr/bin/env python3
"""Solves the discrete problem of one poreflux scenario with SciPy and FiPy, and compares.

The problem is read back from a poreflux HDF5 results file (/scenarios/<name>/grid): grid,
material map, material table, initial state and film. It is rebuilt here as the same
finite-volume operator (MODEL.md section 2, include/poreflux/kernels/transport_K.hpp), so every
tool solves the *same* semi-discrete linear ODE dy/dt = A y, with

    y = [C of every cell (ug/cm3, index i + nx (j + ny k), k = 0 at the surface),
         C_v of the film (ug/cm3), outflow (ug: receptor + systemic), degraded (ug)].

The two accumulators make the system closed: sum(V C) + h A_top C_v + outflow + degraded is
conserved exactly, which is the first check on the matrix. Uptake at t is
(sum(V C) + outflow) / applied, i.e. SC + VE + dermis + receptor + systemic, as poreflux reports.

Tools:
- SciPy: solve_ivp(method="BDF") with the sparse matrix as jac, rtol 1e-5, atol 1e-9 (poreflux's).
  Its agreement with poreflux (expected < 1e-4 relative) validates the operator.
- FiPy: the tissue is a FiPy mesh (Grid1D / Grid2D / Grid3D or CylindricalGrid2D, non-uniform),
  solved for the activity u = C/K with TransientTerm(coeff=K) == DiffusionTerm(coeff=(K D)
  harmonicFaceValue) - ImplicitSourceTerm(coeff=K (k_deg + k_clear)). FiPy's distance-weighted
  harmonic face value gives exactly the series conductance A / (h_a/(2 K_a D_a) + h_b/(2 K_b D_b)),
  and a fixed-value constraint at a boundary face gives exactly A K D / (h/2), so the top
  (film) and bottom (sink) couplings are those of poreflux too.
  The film is one extra unknown FiPy cannot hold on the same mesh. Approach (b) of the brief:
  FiPy solves the tissue, the film is coupled *implicitly by hand*: the step is linear in the
  top boundary value, so each backward-Euler step is solved as u = w0 + C_v' w1 (w0: the FiPy
  step from u^n with the top held at 0; w1: the FiPy step from 0 with the top held at 1, cached
  per step size), and C_v' follows from the film balance. That is the exact backward-Euler step
  of the coupled system: no splitting, no fictitious film cells.
  Backward Euler is first order, so the step sequence decides the accuracy. Steps start at dt0
  and double every m steps (cut to land on 1 h and 24 h); the cheapest (dt0, m) that agrees with
  poreflux within 0.1 % at 1 h and 24 h is searched with backward Euler on the assembled matrix
  (the same scheme, much cheaper than FiPy's per-solve assembly); FiPy is then run once with it
  and its difference to that backward Euler is printed (it shows FiPy's operator is the same).

Usage:
  compare_python.py FILE.h5 --scenario treated [--tools scipy,fipy] [--all] [--jsonl OUT]
  compare_python.py --table-from OUT            (prints the table of the records in OUT)
Needs numpy, scipy, h5py and fipy (tools/bench_compare.sh makes a virtual environment).
"""
import argparse
import json
import math
import os
import pathlib
import sys
import time

import h5py
import numpy as np
import scipy.sparse as sp
from scipy.integrate import solve_ivp
from scipy.sparse.linalg import splu

CM_PER_UM = 1e-4
OUTPUT_TIMES_S = (3600.0, 86400.0)   # the two compared figures: uptake at 1 h and at 24 h
RTOL, ATOL = 1e-5, 1e-9              # poreflux's [numerics] of the bench problems
OPERATOR_TOLERANCE = 1e-4            # SciPy BDF vs poreflux: more than this means a wrong operator
FIPY_TOLERANCE = 1e-3                # the step sequence must reach 0.1 % of poreflux
SCIPY_MAX_CELLS = 20000              # SciPy BDF took 732 s on the 30k-cell unit cell
FIPY_MAX_CELLS = 20000               # FiPy on it: ~1.5 s per CG solve (12 s per LU) x ~500 steps
TOOLS = ("scipy", "fipy")


# ----------------------------------------------------------------------------- the problem

class Problem:
    """One scenario's grid, materials and poreflux results, in cm, s, ug."""

    def __init__(self, path, scenario):
        with h5py.File(path, "r") as f:
            if scenario not in f["scenarios"]:
                sys.exit(f"{path}: no scenario '{scenario}' (has {', '.join(f['scenarios'])})")
            s = f["scenarios"][scenario]
            g = s["grid"]
            a = dict(g.attrs)
            self.path, self.scenario = str(path), scenario
            self.label = pathlib.Path(str(f["config"].attrs.get("source_file", path))).stem
            self.axisymmetric = a["geometry"] == "axisymmetric"
            self.periodic_x, self.periodic_y = a["periodic_x"] == "true", a["periodic_y"] == "true"
            self.sink = str(a["bottom"]).startswith("sink")
            self.finite = a["dose"] == "finite"
            if math.isfinite(a["closure_time_constant_s"]):
                sys.exit("channels close in this scenario: the operator is not constant, this script "
                         "handles constant operators only (closure_time_constant = never)")
            self.top_area = a["top_area_cm2"]
            self.film_h = a["film_thickness_um"] * CM_PER_UM
            self.c_vehicle = a["vehicle_concentration_ug_per_cm3"]
            self.k_vehicle = a["vehicle_degradation_per_s"]
            self.applied = a["applied_ug"]
            self.dx = g["dx_um"][()] * CM_PER_UM
            self.dy = g["dy_rad"][()] if self.axisymmetric else g["dy_um"][()] * CM_PER_UM
            self.dz = g["dz_um"][()] * CM_PER_UM
            self.material = g["material_map"][()]          # [z][y][x]
            m = g["materials"]
            self.D, self.K = m["diffusivity_cm2_s"][()], m["partition"][()]
            self.k_deg, self.k_clear = m["degradation_per_s"][()], m["clearance_per_s"][()]
            self.c0 = (g["initial_concentration"][()] if "initial_concentration" in g
                       else np.zeros(self.material.shape))
            # poreflux's own figures
            t_h = s["time_h"][()]
            fr = s["fractions"]
            uptake = sum(fr[c][()] for c in ("stratum_corneum", "viable_epidermis", "dermis",
                                             "receptor", "systemic"))
            self.pf_uptake = []
            for t in OUTPUT_TIMES_S:
                hit = np.flatnonzero(np.isclose(t_h, t / 3600.0, rtol=0, atol=1e-9))
                if hit.size == 0:
                    sys.exit(f"{path}: poreflux has no output at {t / 3600:g} h")
                self.pf_uptake.append(float(uptake[hit[0]]))
            self.pf_solver = dict(s["solver"].attrs)
        self.nz, self.ny, self.nx = self.material.shape
        self.cells = self.material.size


def geometry(p):
    """Per-axis measures: x_measure (dx, or (r_o^2 - r_i^2)/2 for a radius), x-face factor (1, or r)."""
    if p.axisymmetric:
        r = np.concatenate(([0.0], np.cumsum(p.dx)))
        return 0.5 * (r[1:] ** 2 - r[:-1] ** 2), r
    return p.dx.copy(), np.ones(p.nx + 1)


def assemble(p):
    """The operator A (CSR), the initial state y0 and the mass weights w (w . y = total ug)."""
    n = p.cells
    film, out, deg = n, n + 1, n + 2
    xm, xf = geometry(p)
    idx = np.arange(n).reshape(p.nz, p.ny, p.nx)
    K = p.K[p.material]
    half_res = (1.0 / (2.0 * p.K * p.D))[p.material]        # h * half_res = half-cell resistance
    decay = (p.k_deg + p.k_clear)[p.material]
    vol = xm[None, None, :] * p.dy[None, :, None] * p.dz[:, None, None]
    z_area = xm[None, :] * p.dy[:, None]                     # [y][x]
    rows, cols, vals = [], [], []

    def couple(a, b, g):
        """Flux g (u_b - u_a) from b into a, and its opposite: mass leaves one cell, enters the other."""
        a, b, g = a.ravel(), b.ravel(), g.ravel()
        ka, kb, va, vb = K.ravel()[a], K.ravel()[b], vol.ravel()[a], vol.ravel()[b]
        rows.extend([a, a, b, b])
        cols.extend([b, a, a, b])
        vals.extend([g / (va * kb), -g / (va * ka), g / (vb * ka), -g / (vb * kb)])

    # x faces (area r_face dy dz, or dy dz), with the wrap-around face where periodic
    h = p.dx[None, None, :] * half_res
    area = xf[None, None, 1:-1] * p.dy[None, :, None] * p.dz[:, None, None]
    couple(idx[:, :, :-1], idx[:, :, 1:], area / (h[:, :, :-1] + h[:, :, 1:]))
    if p.periodic_x and p.nx > 1:
        area = xf[-1] * p.dy[None, :] * p.dz[:, None]
        couple(idx[:, :, -1], idx[:, :, 0], area / (h[:, :, -1] + h[:, :, 0]))
    # y faces (area dx dz, as the kernel; there is one y cell in an axisymmetric wedge)
    h = p.dy[None, :, None] * half_res
    area = np.broadcast_to(p.dx[None, None, :] * p.dz[:, None, None], (p.nz, p.ny - 1, p.nx))
    couple(idx[:, :-1, :], idx[:, 1:, :], area / (h[:, :-1, :] + h[:, 1:, :]))
    if p.periodic_y and p.ny > 1:
        area = p.dx[None, :] * p.dz[:, None]
        couple(idx[:, -1, :], idx[:, 0, :], area / (h[:, -1, :] + h[:, 0, :]))
    # z faces (area x_measure dy)
    h = p.dz[:, None, None] * half_res
    couple(idx[:-1], idx[1:], z_area[None] / (h[:-1] + h[1:]))

    # film <-> top cells: only the tissue half cell resists
    top = idx[0].ravel()
    g_top = (z_area / h[0]).ravel()
    v_top, k_top = vol.ravel()[top], K.ravel()[top]
    film_volume = p.film_h * p.top_area
    rows.extend([top, top])
    cols.extend([np.full_like(top, film), top])
    vals.extend([g_top / v_top, -g_top / (v_top * k_top)])
    if p.finite:  # an infinite dose keeps C_v fixed: its row stays empty
        rows.extend([np.full_like(top, film), [film], [deg]])
        cols.extend([top, [film], [film]])
        vals.extend([g_top / (k_top * film_volume), [-g_top.sum() / film_volume - p.k_vehicle],
                     [p.k_vehicle * film_volume]])
    # bottom: the receptor sink (activity 0 below the last cell)
    if p.sink:
        bot = idx[-1].ravel()
        g_bot = (z_area / h[-1]).ravel()
        k_bot = K.ravel()[bot]
        rows.extend([bot, np.full_like(bot, out)])
        cols.extend([bot, bot])
        vals.extend([-g_bot / (vol.ravel()[bot] * k_bot), g_bot / k_bot])
    # first-order losses: degradation is lost, clearance goes to "systemic" (part of the uptake)
    cell = idx.ravel()
    rows.extend([cell, np.full_like(cell, out), np.full_like(cell, deg)])
    cols.extend([cell, cell, cell])
    vals.extend([-decay.ravel(), (p.k_clear[p.material] * vol).ravel(), (p.k_deg[p.material] * vol).ravel()])

    A = sp.csr_matrix((np.concatenate([np.asarray(v, float) for v in vals]),
                       (np.concatenate([np.asarray(r) for r in rows]), np.concatenate([np.asarray(c) for c in cols]))),
                      shape=(n + 3, n + 3))
    A.sum_duplicates()
    A.eliminate_zeros()
    y0 = np.concatenate([p.c0.ravel(), [p.c_vehicle, 0.0, 0.0]])
    w = np.concatenate([vol.ravel(), [film_volume, 1.0, 1.0]])
    return A, y0, w


def uptake_of(p, w, y):
    """(sum of V C over tissue cells + receptor + systemic) / applied."""
    n = p.cells
    return (w[:n] @ y[:n] + y[n + 1]) / p.applied


def check_operator(p, A, y0, w):
    """Mass conservation: w^T A = 0 for every column (the accumulators collect every loss)."""
    col = np.abs(A.T @ w)
    scale = np.abs(A).T @ w
    worst = float(np.max(col / np.where(scale > 0, scale, 1.0)))
    applied_mismatch = float(w @ y0 / p.applied - 1.0)
    # without the accumulators only cells with a sink or a first-order loss may lose mass
    lossy = np.abs(A[: p.cells + 1, : p.cells + 1].T @ w[: p.cells + 1]) > 1e-12 * scale[: p.cells + 1]
    expected = np.concatenate([(p.k_deg + p.k_clear)[p.material].ravel() > 0, [p.k_vehicle > 0]])
    if p.sink:
        expected[(p.nz - 1) * p.nx * p.ny: p.cells] = True
    return worst, applied_mismatch, bool(np.all(lossy <= expected))


# ----------------------------------------------------------------------------- SciPy BDF

def run_scipy(p, A, y0, w):
    t0 = time.perf_counter()
    sol = solve_ivp(lambda t, y: A @ y, (0.0, OUTPUT_TIMES_S[-1]), y0, method="BDF", jac=A,
                    rtol=RTOL, atol=ATOL, t_eval=OUTPUT_TIMES_S)
    wall = time.perf_counter() - t0
    if not sol.success:
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    return {"solver_s": wall, "uptake": [uptake_of(p, w, sol.y[:, i]) for i in range(len(OUTPUT_TIMES_S))],
            "work": f"nfev {sol.nfev}, njev {sol.njev}, nlu {sol.nlu}",
            "mass_balance": float(w @ sol.y[:, -1] / p.applied - 1.0)}


# ----------------------------------------------------------------------------- backward Euler

def step_sequence(dt0, m):
    """Steps from dt0, doubling every m steps, cut to land on each output time: [(dt, output?)]."""
    steps, t, dt, count = [], 0.0, dt0, 0
    for t_out in OUTPUT_TIMES_S:
        while t_out - t > 1e-9 * t_out:
            step = min(dt, t_out - t)
            t += step
            count += 1
            if count % m == 0:
                dt *= 2.0
            steps.append([step, False])
        steps[-1][1] = True
        t = t_out
    return [tuple(s) for s in steps]


def backward_euler(p, A, y0, w, steps, lu_cache):
    """Backward Euler on the assembled matrix; one LU per distinct step size (cached)."""
    eye = sp.identity(A.shape[0], format="csc")
    y, result = y0.copy(), []
    for dt, output in steps:
        if dt not in lu_cache:
            lu_cache[dt] = splu((eye - dt * A).tocsc())
        y = lu_cache[dt].solve(y)
        if output:
            result.append(uptake_of(p, w, y))
    return result


def relative_error(values, reference):
    return max(abs(v / r - 1.0) for v, r in zip(values, reference))


def search_steps(p, A, y0, w, dt0_candidates=(10.0, 100.0, 1.0, 1000.0, 0.1, 0.01)):
    """The cheapest (dt0, m) whose backward Euler agrees with poreflux within FIPY_TOLERANCE.

    Cost counted as FiPy pays it: one solve per step plus one per distinct step size (w1).
    For each dt0 the coarse list of m brackets the first passing m, bisection then finds it
    (the error falls as m grows); a dt0 whose sequences already cost more than the best stops."""
    best = None

    def cost(steps):
        return len(steps) + len({dt for dt, _ in steps})

    for dt0 in dt0_candidates:  # the likely best first: a tight bound early
        lu_cache = {}  # dt0 * 2^L repeats across m; cut steps are few

        results = {}

        def passes(m):
            results[m] = backward_euler(p, A, y0, w, step_sequence(dt0, m), lu_cache)
            return relative_error(results[m], p.pf_uptake) < FIPY_TOLERANCE

        failed = 0
        for m in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512):
            if best is not None and cost(step_sequence(dt0, failed + 1)) >= best["cost"]:
                break
            if passes(m):
                while m - failed > 1:  # the first passing m is in (failed, m]
                    mid = (failed + m) // 2
                    if passes(mid):
                        m = mid
                    else:
                        failed = mid
                steps = step_sequence(dt0, m)
                if best is None or cost(steps) < best["cost"]:
                    best = {"dt0": dt0, "m": m, "steps": steps, "cost": cost(steps), "uptake": results[m]}
                break
            failed = m
        lu_cache.clear()
    return best


# ----------------------------------------------------------------------------- FiPy

def run_fipy(p, steps):
    """FiPy on the tissue, the film coupled implicitly by superposition (see the docstring)."""
    os.environ.setdefault("FIPY_SOLVERS", "scipy")
    import fipy  # imported here: its import is not part of any timing, and SciPy runs without it
    t_start = time.perf_counter()
    if p.axisymmetric:
        mesh, depth_axis = fipy.CylindricalGrid2D(dx=p.dx, dy=p.dz), 1    # x = r, y = depth
    elif p.nx == 1 and p.ny == 1:
        mesh, depth_axis = fipy.Grid1D(dx=p.dz), 0
    elif p.ny == 1:
        mesh, depth_axis = fipy.Grid2D(dx=p.dx, dy=p.dz), 1
    else:
        mesh, depth_axis = fipy.Grid3D(dx=p.dx, dy=p.dy, dz=p.dz), 2
    # FiPy numbers cells x fastest, then y, then z: the same order as material_map.ravel()
    mat = p.material.ravel()
    Kc, Dc = p.K[mat], p.D[mat]
    K = fipy.CellVariable(mesh=mesh, value=Kc)
    gamma = fipy.CellVariable(mesh=mesh, value=Kc * Dc)
    decay = fipy.CellVariable(mesh=mesh, value=(p.k_deg + p.k_clear)[mat])
    u = fipy.CellVariable(mesh=mesh, value=p.c0.ravel() / Kc, hasOld=True)
    depth = mesh.faceCenters[depth_axis]
    tiny = 1e-6 * p.dz.min()
    top_faces = mesh.exteriorFaces & (depth < tiny)
    bottom_faces = mesh.exteriorFaces & (depth > p.dz.sum() - tiny)
    top_value = fipy.Variable(0.0)
    u.constrain(top_value, where=top_faces)
    if p.sink:
        u.constrain(0.0, where=bottom_faces)
    eq = (fipy.TransientTerm(coeff=K) ==
          fipy.DiffusionTerm(coeff=gamma.harmonicFaceValue) - fipy.ImplicitSourceTerm(coeff=K * decay))
    if p.cells <= FIPY_MAX_CELLS:
        solver, solver_name = fipy.LinearLUSolver(tolerance=1e-12, iterations=10), "LU"
    else:  # a 3D LU takes ~12 s per solve here; FiPy's matrix is SPD, so CG with Jacobi
        solver, solver_name = fipy.solvers.scipy.LinearCGSolver(
            tolerance=1e-10, criterion="RHS", iterations=20000,
            precon=fipy.solvers.scipy.JacobiPreconditioner()), "CG, Jacobi, 1e-10 of the RHS"

    # boundary conductances K D A / (h/2), from FiPy's own face areas and centre-to-face distances
    # (private attributes: FiPy has no public accessor for them)
    def boundary(faces):
        faces = np.asarray(faces.value, bool)
        cells = np.asarray(mesh.faceCellIDs[0])[faces]
        return cells, (Kc * Dc)[cells] * np.asarray(mesh._faceAreas)[faces] / np.asarray(mesh._cellDistances)[faces]

    top_cells, g_top = boundary(top_faces)
    bot_cells, g_bot = boundary(bottom_faces) if p.sink else (np.zeros(0, int), np.zeros(0))
    vol = np.asarray(mesh.cellVolumes)
    film_volume = p.film_h * np.asarray(mesh._faceAreas)[np.asarray(top_faces.value, bool)].sum()
    k_clear, k_deg = p.k_clear[mat] * Kc * vol, p.k_deg[mat] * Kc * vol   # per unit activity
    k_vehicle = p.k_vehicle if p.finite else 0.0
    # FiPy's measure differs from the file's by a constant (1 cm depth in 1D/2D, per radian in a
    # wedge), so the applied amount is taken in FiPy's own measure
    c_v, u_n = p.c_vehicle, u.value.copy()
    applied = film_volume * c_v + (Kc * u_n) @ vol
    outflow = degraded = 0.0
    w1_cache, uptakes, solves = {}, [], 0

    def fipy_step(start, boundary_value, dt):
        nonlocal solves
        u.setValue(start)
        u.updateOld()
        top_value.setValue(boundary_value)
        eq.solve(var=u, dt=dt, solver=solver)
        solves += 1
        return u.value.copy()

    t_steps = time.perf_counter()
    for dt, output in steps:
        if dt not in w1_cache:
            w1_cache[dt] = fipy_step(0.0, 1.0, dt)
        w1, w0 = w1_cache[dt], fipy_step(u_n, 0.0, dt)
        if p.finite:  # film balance, backward Euler, with u_top = w0 + C_v' w1
            c_v = ((film_volume / dt * c_v + g_top @ w0[top_cells]) /
                   (film_volume / dt + k_vehicle * film_volume + g_top @ (1.0 - w1[top_cells])))
        u_n = w0 + c_v * w1
        # the losses over the step, at the step's end state as backward Euler has them
        outflow += dt * (g_bot @ u_n[bot_cells] + k_clear @ u_n)
        degraded += dt * (k_deg @ u_n + k_vehicle * film_volume * c_v)
        if output:
            uptakes.append(((Kc * u_n) @ vol + outflow) / applied)
    end = time.perf_counter()
    total = (Kc * u_n) @ vol + film_volume * c_v + outflow + degraded
    return {"solver_s": end - t_steps, "total_s": end - t_start, "uptake": uptakes,
            "work": f"{len(steps)} steps, {solves} FiPy solves ({solver_name})",
            "mass_balance": float(total / applied - 1.0) if p.finite else float("nan")}


# ----------------------------------------------------------------------------- report

COLUMNS = [("problem", "{:<28}", 28), ("scen.", "{:<8}", 8), ("cells", "{:>6}", 6), ("tool", "{:<12}", 12),
           ("solver [s]", "{:>10}", 10), ("total [s]", "{:>10}", 10), ("pf/tool [1]", "{:>11}", 11),
           ("uptake 1h [%]", "{:>13}", 13), ("uptake 24h [%]", "{:>14}", 14),
           ("rel.diff 1h [1]", "{:>15}", 15), ("rel.diff 24h [1]", "{:>16}", 16), ("work", "{:<0}", 0)]


def fmt(value, spec="{:.3g}"):
    return "-" if value is None else spec.format(value)


def print_table(records, out=sys.stdout):
    print("  ".join(name.rjust(width) if ">" in f else name.ljust(width) for name, f, width in COLUMNS).rstrip(), file=out)
    solver_pf = {}
    for r in records:
        if r["tool"] == "poreflux":
            solver_pf[(r["problem"], r["scenario"])] = r["solver_s"]
    for r in records:
        pf = solver_pf.get((r["problem"], r["scenario"]))
        ratio = pf / r["solver_s"] if pf and r.get("solver_s") else None
        up = r.get("uptake") or [None, None]
        diff = r.get("rel_diff") or [None, None]
        cells = [r["problem"][:28], r["scenario"], str(r["cells"]), r["tool"], fmt(r.get("solver_s")),
                 fmt(r.get("total_s")), fmt(ratio) if r["tool"] != "poreflux" else "1",
                 fmt(None if up[0] is None else 100 * up[0], "{:.5f}"),
                 fmt(None if up[1] is None else 100 * up[1], "{:.5f}"),
                 fmt(diff[0], "{:+.2e}"), fmt(diff[1], "{:+.2e}"), r.get("work", "")]
        print("  ".join(f.format(c) for (_, f, _), c in zip(COLUMNS, cells)).rstrip(), file=out)
    print("pf/tool = poreflux solver wall time / the tool's solver time (> 1: the tool is faster).\n"
          "total = the tool's whole run: reading the file, matrix or mesh build, solve (poreflux: the\n"
          "whole process, all scenarios of the file). rel.diff = tool / poreflux - 1.", file=out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", help="poreflux HDF5 results file")
    ap.add_argument("--scenario", default="treated", help="scenario group name (treated, intact)")
    ap.add_argument("--tools", default="scipy,fipy", help="comma list of: scipy, fipy")
    ap.add_argument("--skip-slow-scipy-3d", action="store_true", default=True,
                    help=f"skip SciPy BDF above {SCIPY_MAX_CELLS} cells (the default; --all overrides)")
    ap.add_argument("--all", action="store_true", help="run SciPy BDF and FiPy whatever the size")
    ap.add_argument("--fipy-steps", metavar="DT0,M", help="FiPy steps: start DT0 s, doubling every M "
                    "steps (default: the cheapest that agrees with poreflux within 0.1 %%)")
    ap.add_argument("--poreflux-process-s", type=float, help="wall time of the poreflux process (for the table)")
    ap.add_argument("--label", help="problem name in the table (default: the config's file stem)")
    ap.add_argument("--jsonl", help="append the table rows to this file as JSON lines")
    ap.add_argument("--table-from", metavar="JSONL", help="only print the table of the rows in JSONL")
    args = ap.parse_args()

    if args.table_from:
        with open(args.table_from) as f:
            print_table([json.loads(line) for line in f if line.strip()])
        return 0
    if not args.file:
        ap.error("a results file is needed (or --table-from)")
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    if unknown := set(tools) - set(TOOLS):
        ap.error(f"unknown tool(s): {', '.join(sorted(unknown))}")

    t0 = time.perf_counter()
    p = Problem(args.file, args.scenario)
    load_s = time.perf_counter() - t0
    label = args.label or p.label
    status = 0
    print(f"== {label} / {p.scenario}: {p.cells} cells ({p.nx} x {p.ny} x {p.nz}), "
          f"{'axisymmetric' if p.axisymmetric else 'cartesian'}, {'sink' if p.sink else 'no-flux'} bottom, "
          f"{'finite' if p.finite else 'infinite'} dose ==")
    t0 = time.perf_counter()
    A, y0, w = assemble(p)
    build_s = time.perf_counter() - t0
    worst, mismatch, lossy_ok = check_operator(p, A, y0, w)
    print(f"operator: {A.shape[0]} unknowns, {A.nnz} non-zeros, built in {build_s:.3f} s; "
          f"mass conservation max |w.A|/|w|.|A| = {worst:.1e}; losses only at sinks and decaying cells: "
          f"{'yes' if lossy_ok else 'NO'}; initial amount / applied - 1 = {mismatch:+.1e}")
    if worst > 1e-12 or not lossy_ok or abs(mismatch) > 1e-9:
        print("operator check FAILED")
        status = 1

    pf = p.pf_solver
    records = [{"problem": label, "scenario": p.scenario, "cells": p.cells, "tool": "poreflux",
                "solver_s": float(pf["wall_s"]), "total_s": args.poreflux_process_s, "uptake": p.pf_uptake,
                "rel_diff": [0.0, 0.0], "work": f"{pf.get('steps')} steps, {pf.get('rhs_evaluations')} RHS evals "
                f"({str(pf.get('method', '')).split(' ')[0]})"}]

    if "scipy" in tools:
        if p.cells > SCIPY_MAX_CELLS and not args.all:
            records.append({"problem": label, "scenario": p.scenario, "cells": p.cells, "tool": "scipy BDF",
                            "work": "skipped (expected > 10 min; --all runs it)"})
        else:
            r = run_scipy(p, A, y0, w)
            diff = [u / q - 1.0 for u, q in zip(r["uptake"], p.pf_uptake)]
            agree = max(abs(d) for d in diff)
            print(f"scipy BDF: agreement with poreflux {agree:.1e} (limit {OPERATOR_TOLERANCE:g}), "
                  f"mass balance {r['mass_balance']:+.1e}")
            if agree > OPERATOR_TOLERANCE:
                print("scipy BDF disagrees with poreflux: the operator or the uptake definition differs")
                status = 1
            records.append({"problem": label, "scenario": p.scenario, "cells": p.cells, "tool": "scipy BDF",
                            "solver_s": r["solver_s"], "total_s": load_s + build_s + r["solver_s"], "uptake": r["uptake"],
                            "rel_diff": diff, "work": r["work"]})

    if "fipy" in tools and (p.periodic_x or p.periodic_y):
        records.append({"problem": label, "scenario": p.scenario, "cells": p.cells, "tool": "fipy BE",
                        "work": "not run: periodic edges are not mapped onto FiPy's periodic grids here"})
    elif "fipy" in tools and p.cells > FIPY_MAX_CELLS and not args.all:
        records.append({"problem": label, "scenario": p.scenario, "cells": p.cells, "tool": "fipy BE",
                        "work": "skipped (expected > 10 min; --all runs it)"})
    elif "fipy" in tools:
        t0 = time.perf_counter()
        if args.fipy_steps:
            dt0, m = args.fipy_steps.split(",")
            steps = step_sequence(float(dt0), int(m))
            choice = f"dt0 {float(dt0):g} s, doubling every {int(m)} steps (given)"
            be = backward_euler(p, A, y0, w, steps, {})
        else:
            # a big grid: each LU of the search costs seconds, so only the dt0 that wins on the
            # smaller problems is searched (m still by bisection)
            best = (search_steps(p, A, y0, w) if p.cells <= FIPY_MAX_CELLS else
                    search_steps(p, A, y0, w, dt0_candidates=(10.0,)))
            if best is None:
                sys.exit("no step sequence of the search reaches 0.1 % of poreflux")
            steps = best["steps"]
            choice = (f"dt0 {best['dt0']:g} s, doubling every {best['m']} steps: the cheapest found "
                      f"that agrees with poreflux within {FIPY_TOLERANCE:.1%}")
            be = best["uptake"]
        search_s = time.perf_counter() - t0
        r = run_fipy(p, steps)
        diff = [u / q - 1.0 for u, q in zip(r["uptake"], p.pf_uptake)]
        same = relative_error(r["uptake"], be)
        print(f"fipy: {choice} ({len(steps)} steps; choosing and checking it took {search_s:.1f} s, "
              f"not in the FiPy times); FiPy vs backward Euler on the assembled matrix, same steps: "
              f"{same:.1e}; agreement with poreflux {max(abs(d) for d in diff):.1e}; "
              f"mass balance {r['mass_balance']:+.1e}")
        if same > 1e-7:
            print("FiPy's operator differs from the assembled one")
            status = 1
        records.append({"problem": label, "scenario": p.scenario, "cells": p.cells, "tool": "fipy BE",
                        "solver_s": r["solver_s"], "total_s": load_s + r["total_s"], "uptake": r["uptake"],
                        "rel_diff": diff, "work": r["work"]})

    print_table(records)
    if args.jsonl:
        with open(args.jsonl, "a") as f:
            for r in records:
                f.write(json.dumps(r) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
