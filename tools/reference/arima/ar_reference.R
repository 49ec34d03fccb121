# Reference values for Seriatim's AR(p) fits against R's stats::ar (Yule-Walker and Burg,
# order chosen by AIC). Run from this directory:  Rscript ar_reference.R  -> ar.tsv
out <- file("ar.tsv", "w")
emit <- function(id, key, value) cat(id, "\t", key, "\t", format(value, digits = 17), "\n", sep = "", file = out)
series <- list(lh = lh, lynx = log(lynx), sunspot.year = sunspot.year, LakeHuron = LakeHuron, Nile = Nile)
for (nm in names(series)) {
  for (method in c("yule-walker", "burg")) {
    fit <- ar(series[[nm]], method = method)
    id <- paste0(nm, ".", method)
    emit(id, "series", nm); emit(id, "log", as.integer(nm == "lynx"))
    emit(id, "order", fit$order); emit(id, "var.pred", fit$var.pred); emit(id, "x.mean", fit$x.mean)
    for (i in seq_along(fit$ar)) emit(id, paste0("ar", i), fit$ar[i])
    for (i in seq_along(fit$aic)) emit(id, paste0("aic", i - 1), fit$aic[[i]])
  }
}
close(out)
