# Benchmark reference: R forecast's auto.arima on 1,000 simulated ARMA(1,1) series of length 120.
# Writes series.csv (one column per series) and r_result.txt (orders chosen, seconds).
# Run from this directory:  Rscript auto_arima_bench.R [count]
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
count <- if (length(args) > 0) as.integer(args[1]) else 1000L
set.seed(20261128)
series <- sapply(seq_len(count), function(i) {
  ar <- runif(1, -0.8, 0.8); ma <- runif(1, -0.8, 0.8)
  as.numeric(arima.sim(list(ar = ar, ma = ma), n = 120)) + 10
})
colnames(series) <- paste0("s", seq_len(count))
write.csv(round(series, 6), "series.csv", row.names = FALSE)
x <- read.csv("series.csv")
orders <- character(count)
# CPU time of this process (user + system), so that other load on the machine does not count.
cpu <- function() { t <- proc.time(); t[["user.self"]] + t[["sys.self"]] }
t0 <- cpu()
for (i in seq_len(count)) {
  fit <- auto.arima(x[[i]])
  orders[i] <- paste(fit$arma[c(1, 6, 2)], collapse = ",")
}
secs <- cpu() - t0
writeLines(c(sprintf("seconds %.3f", secs), sprintf("fits_per_second %.3f", count / secs), orders), "r_result.txt")
cat(sprintf("R auto.arima: %d fits in %.2f CPU s = %.2f fits/s\n", count, secs, count / secs))
