// Which inputs drive a population's spread: rank correlations between each sampled input and
// each output. Spearman's coefficient measures the monotone association of one input alone;
// the partial rank correlation (PRCC) removes the other inputs' linear effect on the ranks
// first, so an input that matters only a little is not masked by one that matters a lot
// (Marino et al. 2008, J Theor Biol 254:178). Both are fit for monotone responses, which
// uptake and delivery are in every input poreflux samples; variance-based (Sobol) indices
// would need N (M + 2) runs instead of N and are left for later.
#pragma once

#include <vector>

namespace poreflux::population {

// Ranks 1..n, ties sharing their mean rank.
std::vector<double> ranks(const std::vector<double>& values);

double pearson(const std::vector<double>& x, const std::vector<double>& y);
// Subjects with a non-finite value are left out of both measures; NaN when fewer than 3 remain
// or nothing varies.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

// inputs[j][i]: input j of subject i; returns one coefficient per input. NaN where it is
// undefined (an input or output that does not vary).
std::vector<double> partial_rank_correlations(const std::vector<std::vector<double>>& inputs,
                                              const std::vector<double>& output);

// Percentile p (0..100) of `values` by linear interpolation between order statistics (the
// definition numpy.percentile uses by default).
double percentile(std::vector<double> values, double p);

}  // namespace poreflux::population
