/** Added to every hessian denominator so an empty or zero-hessian node never divides by zero (as scikit-learn). */
export const HESSIAN_EPSILON = 1e-15;

/** Newton step of a node, before shrinkage: −G / (H + λ). */
export function nodeValue(sumGradients: number, sumHessians: number, l2Regularization: number): number {
  return -sumGradients / (sumHessians + l2Regularization + HESSIAN_EPSILON);
}

/**
 * Loss reduction of splitting a node (XGBoost paper eq. 7 without the ½ and γ, as scikit-learn):
 * G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ). Written as "loss of parent minus loss of children" with
 * loss = G · value, which is how the split finder evaluates it.
 */
export function splitGain(
  sumGradientsLeft: number,
  sumHessiansLeft: number,
  sumGradientsRight: number,
  sumHessiansRight: number,
  l2Regularization: number,
): number {
  const parentLoss =
    (sumGradientsLeft + sumGradientsRight) *
    nodeValue(sumGradientsLeft + sumGradientsRight, sumHessiansLeft + sumHessiansRight, l2Regularization);
  return (
    parentLoss -
    sumGradientsLeft * nodeValue(sumGradientsLeft, sumHessiansLeft, l2Regularization) -
    sumGradientsRight * nodeValue(sumGradientsRight, sumHessiansRight, l2Regularization)
  );
}
