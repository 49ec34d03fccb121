# Reference values for Seriatim's AR(p) fits against R's stats::ar (Yule-Walker, Burg, OLS and
# MLE, order chosen by AIC with R's default order.max). ar.mle runs arima0, whose fast recursions
# approximate the likelihood; the "exact.*" keys repeat its order search with stats::arima's exact
# likelihood (method = "ML"), which is what Seriatim maximises. Run from this directory:
#   Rscript ar_reference.R  -> ar.tsv
out <- file("ar.tsv", "w")
emit <- function(id, key, value) cat(id, "\t", key, "\t", format(value, digits = 17), "\n", sep = "", file = out)
exact_mle <- function(id, x, order.max) {
  n <- length(x)
  fits <- lapply(seq_len(order.max), function(k) arima(x, order = c(k, 0, 0), method = "ML"))
  aic <- c(n * log(sum((x - mean(x))^2) / n) + 4 + n + n * log(2 * pi), sapply(fits, function(f) f$aic))
  k <- which.min(aic) - 1
  emit(id, "exact.order", k)
  if (k > 0) {
    f <- fits[[k]]
    emit(id, "exact.var.pred", f$sigma2); emit(id, "exact.x.mean", f$coef[["intercept"]])
    for (i in seq_len(k)) emit(id, paste0("exact.ar", i), f$coef[[i]])
  }
  for (i in seq_along(aic)) emit(id, paste0("exact.aic", i - 1), aic[i] - min(aic))
}
series <- list(lh = lh, lynx = log(lynx), sunspot.year = sunspot.year, LakeHuron = LakeHuron, Nile = Nile)
for (nm in names(series)) {
  for (method in c("yule-walker", "burg", "ols", "mle")) {
    fit <- ar(series[[nm]], method = method)
    id <- paste0(nm, ".", method)
    emit(id, "series", nm); emit(id, "log", as.integer(nm == "lynx"))
    emit(id, "order", fit$order); emit(id, "var.pred", fit$var.pred); emit(id, "x.mean", fit$x.mean)
    if (!is.null(fit$x.intercept)) emit(id, "x.intercept", fit$x.intercept)
    for (i in seq_along(fit$ar)) emit(id, paste0("ar", i), fit$ar[i])
    for (i in seq_along(fit$aic)) emit(id, paste0("aic", i - 1), fit$aic[[i]])
    pr <- predict(fit, n.ahead = 5)
    for (h in 1:5) { emit(id, paste0("pred.", h, ".mean"), pr$pred[h]); emit(id, paste0("pred.", h, ".se"), pr$se[h]) }
    if (method == "mle") exact_mle(id, as.vector(series[[nm]]), fit$order.max)
  }
}
close(out)
